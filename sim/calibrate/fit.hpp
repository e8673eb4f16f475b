// The statistics calibrate rests on: a lognormal by maximum likelihood, a robust linear fit
// (Huber-weighted least squares, solved with Eigen), the Kolmogorov–Smirnov distance, a choice
// among parametric size distributions with an empirical fallback, and intervals for rates.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ratesim::calibrate {

struct Interval {
  double low = 0, high = 0;
};

/// Wilson's 95% score interval for `k` successes in `n` trials.
Interval wilson(std::uint64_t k, std::uint64_t n);

/// The p-quantile of sorted `x` (linear interpolation between order statistics).
double quantile(const std::vector<double>& sorted, double p);

struct LognormalFit {
  double median = 0;   ///< exp(mean of ln x)
  double sigma = 0;    ///< standard deviation of ln x (maximum likelihood: divided by n)
  std::size_t n = 0;
  Interval median_ci;  ///< 95%: exp(mu ± 1.96 sigma / sqrt n)
  std::size_t censored = 0;  ///< of n, values only known to be exceeded (fit_lognormal_censored)
};

/// Fits a lognormal to the positive values of `x` (others are ignored).
LognormalFit fit_lognormal(const std::vector<double>& x);

/// Fits a lognormal by maximum likelihood to `exact` values and right-censored ones: each value
/// of `above` is known only to be exceeded (a prompt refused for its size, never seen). ln x is
/// normal(mu, sigma); Newton's method on (mu, ln sigma), the 2×2 system solved with Eigen, from
/// the moments of all values. `n` counts both; the interval comes from the observed information.
/// Without censored values it equals fit_lognormal.
LognormalFit fit_lognormal_censored(const std::vector<double>& exact, const std::vector<double>& above);

/// The Kaplan–Meier estimate of the distribution function from `exact` values and right-censored
/// ones (`above`): (value, F(value)) at each distinct exact value, ascending. Where the largest
/// values are censored it stops short of 1.
std::vector<std::pair<double, double>> kaplan_meier(std::vector<double> exact, std::vector<double> above);

/// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
double normal_quantile(double p);
double normal_cdf(double z);

struct LinearFit {
  std::vector<double> beta;       ///< one coefficient per column
  std::vector<double> std_error;  ///< their standard errors (from the weighted fit)
  std::vector<double> residual;   ///< y − Xβ, one per row
  std::size_t iterations = 0;
};

/// Minimises Σ ρ(y − Xβ) with Huber's ρ (k = 1.345 robust standard deviations, the scale from
/// the median absolute deviation) by iteratively reweighted least squares. `columns` holds X
/// column by column, each as long as `y`.
LinearFit robust_linear_fit(const std::vector<std::vector<double>>& columns, const std::vector<double>& y);

/// A fitted distribution of token counts, in the scenario file's notation.
struct SizeFit {
  std::string kind;            ///< constant, lognormal, normal, exponential, uniform or empirical
  std::vector<double> params;  ///< constant: v; lognormal: median, sigma; normal: mean, sd; exponential: mean; uniform: a, b
  std::vector<double> values, weights;  ///< empirical
  double ks = 0;               ///< Kolmogorov–Smirnov distance of the chosen form from the data
  double ks_critical = 0;      ///< the 1% critical value, 1.63 / sqrt n
  std::size_t n = 0;
  std::size_t censored = 0;      ///< of n, values only known to be exceeded (fit_sizes_censored)
  std::vector<double> observed;  ///< the data's quantiles at p = (k − 0.5) / 99, k = 1..99
  std::string yaml() const;    ///< e.g. {lognormal: {median: 2500, sigma: 0.4}}
  double cdf(double x) const;
  double quantile(double p) const;
};

/// Chooses, among constant, lognormal, normal, exponential and uniform (each by maximum
/// likelihood), the form with the smallest Kolmogorov–Smirnov distance; when even that one is
/// rejected at 1% (D > 1.63/√n: conservative, since the parameters come from the same data),
/// an empirical distribution of at most 40 values: the distinct values with their shares when
/// there are that few, else 40 equally likely quantiles.
SizeFit fit_sizes(std::vector<double> x);

/// fit_sizes when some values are right-censored (`above`: each only known to be exceeded). With
/// censored values the form is the censored lognormal (fit_lognormal_censored); its KS distance
/// and `observed` quantiles are taken against the Kaplan–Meier estimate (observed stops where
/// that estimate does). Without them, fit_sizes(exact).
SizeFit fit_sizes_censored(std::vector<double> exact, const std::vector<double>& above);

}  // namespace ratesim::calibrate
