// What a scenario's offered work would cost at list prices, set against the monthly spend limit
// before the run, so that a planner hears up front when the limit will stop the work part way.
//
// It is an estimate, not a run: each workload's expected number of requests within the horizon
// times the cost of one request of mean size (mean prompt, mean output capped by the mean
// max_tokens) at its model's list price, the Batch API's half price for batch workloads.
// It leaves out prompt caching (every prompt token at the uncached price), the long-prompt band
// of requests above the mean, billed timed-out attempts, work that ends unfinished at the
// horizon, routing to other models, and closed-loop users (their count of requests depends on
// the latency). Retries add nothing: only successful attempts are billed.
#pragma once

#include <optional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace ratesim::scenario {

struct SpendForecast {
  double offered_usd = 0;  ///< the offered work at list prices, USD
  double spent_usd = 0;    ///< this month's spend before the run (provider.spend_limit.spent_usd)
  double monthly_usd = 0;  ///< the monthly limit
  /// The share of the offered work that fits in what the month has left, 0 to 1.
  double fits() const;
};

/// The estimate for `s`; nullopt when the provider has no spend limit.
std::optional<SpendForecast> spend_forecast(const Scenario& s);

/// "the offered work costs about $X at list prices; with $Y already spent this month and a $Z
/// monthly limit, about N% of it fits before the spend limit stops it (...)" when the spend
/// already made plus the offered work passes the limit; nullopt otherwise.
std::optional<std::string> spend_limit_warning(const Scenario& s);

}  // namespace ratesim::scenario
