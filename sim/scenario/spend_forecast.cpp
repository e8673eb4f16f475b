#include "sim/scenario/spend_forecast.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/provider/price.hpp"
#include "models/traffic/arrival_process.hpp"

namespace ratesim::scenario {
namespace {

using models::WorkloadConfig;
using models::provider::kBatchDiscount;

/// USD for one request of `input` prompt tokens and `output` output tokens of model `model`,
/// at list price (0 for a model the provider lacks: validation reports it).
double request_usd(const models::provider::ProviderConfig& p, const std::string& model, double input,
                   double output) {
  const auto it = std::find_if(p.models.begin(), p.models.end(), [&](const auto& m) { return m.name == model; });
  if (it == p.models.end()) return 0;
  const auto band = models::provider::band_for(it->price, static_cast<std::uint32_t>(std::lround(input)));
  return (input * band.input + output * band.output) / 1e6;
}

double workload_usd(const models::provider::ProviderConfig& p, const WorkloadConfig& w, models::Duration horizon) {
  const double max_tokens = w.max_tokens.mean();
  const double output = std::min(w.output_tokens.mean(), max_tokens);
  double usd = 0;
  switch (w.kind) {
    case WorkloadConfig::Kind::kOpen:
      usd = models::traffic::expected_arrivals(w.traffic, horizon) *
            request_usd(p, w.model, w.input_tokens.mean(), output);
      break;
    case WorkloadConfig::Kind::kBacklog:
      if (w.backlog.at < horizon)
        usd = static_cast<double>(w.backlog.count) * request_usd(p, w.model, w.input_tokens.mean(), output);
      break;
    case WorkloadConfig::Kind::kTrace:
      for (const auto& rec : w.trace.records) {
        if (rec.at >= horizon) break;
        const std::string& model = w.trace.models.empty() ? w.model : w.trace.models[rec.model];
        const double cap = rec.max_tokens ? rec.max_tokens : max_tokens;
        usd += w.trace.rate_scale * request_usd(p, model, rec.input_tokens, std::min<double>(rec.output_tokens, cap));
      }
      break;
    case WorkloadConfig::Kind::kUsers:
      break;  // how many requests users send depends on the latency: left out
  }
  return w.batch ? usd * kBatchDiscount : usd;
}

std::string usd(double x) { return fmt::format("${:.2f}", x); }

}  // namespace

double SpendForecast::fits() const {
  const double left = std::max(0.0, monthly_usd - spent_usd);
  if (offered_usd <= left) return 1;
  return left / offered_usd;
}

std::optional<SpendForecast> spend_forecast(const Scenario& s) {
  const auto& p = s.world.provider;
  if (!p.spend_limit) return std::nullopt;
  SpendForecast f{.offered_usd = 0, .spent_usd = p.spend_limit->spent_usd, .monthly_usd = p.spend_limit->monthly_usd};
  for (const WorkloadConfig& w : s.world.workloads) f.offered_usd += workload_usd(p, w, s.world.duration);
  return f;
}

std::optional<std::string> spend_limit_warning(const Scenario& s) {
  const auto f = spend_forecast(s);
  if (!f || f->spent_usd + f->offered_usd <= f->monthly_usd) return std::nullopt;
  const double percent = 100 * f->fits();
  const std::string share = percent >= 1 || percent == 0 ? fmt::format("about {:.0f}%", percent) : "less than 1%";
  return fmt::format(
      "the offered work costs about {} at list prices; with {} already spent this month and a {} monthly "
      "limit, {} of it fits before the spend limit stops it (an estimate from mean sizes at list prices, "
      "leaving out caching and closed-loop users)",
      usd(f->offered_usd), usd(f->spent_usd), usd(f->monthly_usd), share);
}

}  // namespace ratesim::scenario
