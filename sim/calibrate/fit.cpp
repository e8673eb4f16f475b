#include "sim/calibrate/fit.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace ratesim::calibrate {
namespace {

constexpr double kZ95 = 1.959963984540054;
/// The Kolmogorov–Smirnov test's 1% critical value times sqrt n (large samples).
constexpr double kKsCritical1pct = 1.63;

/// The median (the upper one for an even count), in linear time.
double median_of(std::vector<double> x) {
  if (x.empty()) return 0;
  const auto mid = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
  std::nth_element(x.begin(), mid, x.end());
  return *mid;
}

/// A token count as the scenario file writes it: whole above 10, else three significant digits.
std::string tokens(double v) {
  if (std::abs(v) >= 10) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  return fmt::format("{:.3g}", v);
}

}  // namespace

Interval wilson(std::uint64_t k, std::uint64_t n) {
  if (n == 0) return {0, 1};
  const double p = static_cast<double>(k) / static_cast<double>(n);
  const double nn = static_cast<double>(n);
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ95 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double pos = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

LognormalFit fit_lognormal(const std::vector<double>& x) {
  LognormalFit f;
  double sum = 0, sum2 = 0;
  for (const double v : x)
    if (v > 0) {
      const double l = std::log(v);
      sum += l;
      sum2 += l * l;
      ++f.n;
    }
  if (f.n == 0) return f;
  const double n = static_cast<double>(f.n);
  const double mu = sum / n;
  f.sigma = std::sqrt(std::max(0.0, sum2 / n - mu * mu));
  f.median = std::exp(mu);
  const double half = kZ95 * f.sigma / std::sqrt(n);
  f.median_ci = {std::exp(mu - half), std::exp(mu + half)};
  return f;
}


namespace {

/// ln Q(z) and the inverse Mills ratio φ(z)/Q(z), Q = 1 − Φ, without underflow far in the tail.
std::pair<double, double> log_survival_and_hazard(double z) {
  constexpr double kLogRoot2Pi = 0.91893853320467274;
  if (z > 30) return {-0.5 * z * z - std::log(z) - kLogRoot2Pi, z + 1 / z};
  const double q = 0.5 * std::erfc(z / std::sqrt(2.0));
  return {std::log(q), std::exp(-0.5 * z * z - kLogRoot2Pi) / q};
}

/// The censored normal's log-likelihood in (mu, s = ln sigma) and its gradient.
struct CensoredNormal {
  const std::vector<double>& y;      // ln of exact values
  const std::vector<double>& cut;    // ln of censoring points
  double value(double mu, double s) const {
    const double sigma = std::exp(s);
    double ll = 0;
    for (const double v : y) ll += -s - 0.5 * (v - mu) * (v - mu) / (sigma * sigma);
    for (const double c : cut) ll += log_survival_and_hazard((c - mu) / sigma).first;
    return ll;
  }
  Eigen::Vector2d gradient(double mu, double s) const {
    const double sigma = std::exp(s);
    Eigen::Vector2d g = Eigen::Vector2d::Zero();
    for (const double v : y) {
      const double z = (v - mu) / sigma;
      g += Eigen::Vector2d(z / sigma, z * z - 1);
    }
    for (const double c : cut) {
      const double z = (c - mu) / sigma;
      const double hazard = log_survival_and_hazard(z).second;
      g += Eigen::Vector2d(hazard / sigma, hazard * z);
    }
    return g;
  }
  /// The Hessian by central differences of the analytic gradient.
  Eigen::Matrix2d hessian(double mu, double s) const {
    constexpr double h = 1e-5;
    Eigen::Matrix2d H;
    H.col(0) = (gradient(mu + h, s) - gradient(mu - h, s)) / (2 * h);
    H.col(1) = (gradient(mu, s + h) - gradient(mu, s - h)) / (2 * h);
    return 0.5 * (H + H.transpose());
  }
};

}  // namespace

LognormalFit fit_lognormal_censored(const std::vector<double>& exact, const std::vector<double>& above) {
  std::vector<double> y, cut;
  for (const double v : exact)
    if (v > 0) y.push_back(std::log(v));
  for (const double v : above)
    if (v > 0) cut.push_back(std::log(v));
  if (cut.empty() || y.size() < 2) return fit_lognormal(exact);
  // Start from the moments of every value (censoring points as if exact: too small, but near).
  double sum = 0, sum2 = 0;
  for (const auto* v : {&y, &cut})
    for (const double x : *v) {
      sum += x;
      sum2 += x * x;
    }
  const double count = static_cast<double>(y.size() + cut.size());
  double mu = sum / count;
  double s = 0.5 * std::log(std::max(1e-6, sum2 / count - mu * mu));
  const CensoredNormal model{y, cut};
  double ll = model.value(mu, s);
  for (int iteration = 0; iteration < 100; ++iteration) {
    const Eigen::Vector2d g = model.gradient(mu, s);
    const Eigen::Matrix2d H = model.hessian(mu, s);
    // Newton's step where the Hessian is negative definite, else gradient ascent.
    const Eigen::LLT<Eigen::Matrix2d> negative(-H);
    const Eigen::Vector2d step = negative.info() == Eigen::Success ? Eigen::Vector2d(negative.solve(g)) : Eigen::Vector2d(g / count);
    double t = 1;
    bool improved = false;
    for (int halving = 0; halving < 40; ++halving, t *= 0.5) {
      const double next = model.value(mu + t * step[0], s + t * step[1]);
      if (next >= ll) {
        mu += t * step[0];
        s += t * step[1];
        improved = next - ll > 1e-12 * std::abs(ll);
        ll = next;
        break;
      }
    }
    if (!improved) break;
  }
  LognormalFit f;
  f.n = y.size() + cut.size();
  f.censored = cut.size();
  f.median = std::exp(mu);
  f.sigma = std::exp(s);
  const Eigen::Matrix2d information = -model.hessian(mu, s);
  const double var_mu = information.determinant() > 0 ? information.inverse()(0, 0) : f.sigma * f.sigma / static_cast<double>(y.size());
  const double half = kZ95 * std::sqrt(std::max(0.0, var_mu));
  f.median_ci = {std::exp(mu - half), std::exp(mu + half)};
  return f;
}

std::vector<std::pair<double, double>> kaplan_meier(std::vector<double> exact, std::vector<double> above) {
  std::sort(exact.begin(), exact.end());
  std::sort(above.begin(), above.end());
  std::vector<std::pair<double, double>> out;
  double at_risk = static_cast<double>(exact.size() + above.size());
  double survival = 1;
  std::size_t e = 0, c = 0;
  while (e < exact.size()) {
    // Censored at a value below the next event leave the risk set first (a tie counts as at risk:
    // a value censored at v is known to exceed v).
    while (c < above.size() && above[c] < exact[e]) {
      at_risk -= 1;
      ++c;
    }
    const double v = exact[e];
    std::size_t events = 0;
    while (e < exact.size() && exact[e] == v) {
      ++events;
      ++e;
    }
    survival *= 1 - static_cast<double>(events) / at_risk;
    at_risk -= static_cast<double>(events);
    out.emplace_back(v, 1 - survival);
  }
  return out;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  // Peter Acklam's algorithm.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  p = std::clamp(p, 1e-300, 1 - 1e-16);
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

LinearFit robust_linear_fit(const std::vector<std::vector<double>>& columns, const std::vector<double>& y) {
  const auto n = static_cast<Eigen::Index>(y.size());
  const auto p = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd X(n, p);
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < n; ++i) X(i, j) = columns[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
  const Eigen::Map<const Eigen::VectorXd> Y(y.data(), n);
  Eigen::VectorXd w = Eigen::VectorXd::Ones(n);
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd normal(p, p);
  LinearFit fit;
  constexpr double kHuber = 1.345;
  for (fit.iterations = 1; fit.iterations <= 100; ++fit.iterations) {
    const Eigen::MatrixXd WX = X.array().colwise() * w.array();
    normal = X.transpose() * WX;
    const Eigen::VectorXd next = normal.ldlt().solve(WX.transpose() * Y);
    const double change = (next - beta).cwiseAbs().maxCoeff();
    beta = next;
    const Eigen::VectorXd r = Y - X * beta;
    std::vector<double> abs_r(r.data(), r.data() + n);
    for (double& v : abs_r) v = std::abs(v);
    const double scale = median_of(abs_r) / 0.6744897501960817;
    if (scale <= 0) break;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = std::abs(r(i)) / scale;
      w(i) = u <= kHuber ? 1.0 : kHuber / u;
    }
    if (change <= 1e-12 * (1 + beta.cwiseAbs().maxCoeff())) break;
  }
  const Eigen::VectorXd r = Y - X * beta;
  const double dof = std::max<double>(1, static_cast<double>(n - p));
  const double s2 = (w.array() * r.array().square()).sum() / dof;
  const Eigen::MatrixXd cov = s2 * normal.ldlt().solve(Eigen::MatrixXd::Identity(p, p));
  fit.beta.assign(beta.data(), beta.data() + p);
  for (Eigen::Index j = 0; j < p; ++j) fit.std_error.push_back(std::sqrt(std::max(0.0, cov(j, j))));
  fit.residual.assign(r.data(), r.data() + n);
  return fit;
}

double SizeFit::cdf(double x) const {
  if (kind == "constant") return x >= params[0] ? 1 : 0;
  if (kind == "lognormal") {
    if (x <= 0) return 0;
    return params[1] > 0 ? normal_cdf(std::log(x / params[0]) / params[1]) : (x >= params[0] ? 1 : 0);
  }
  if (kind == "normal") return params[1] > 0 ? normal_cdf((x - params[0]) / params[1]) : (x >= params[0] ? 1 : 0);
  if (kind == "exponential") return x <= 0 ? 0 : 1 - std::exp(-x / params[0]);
  if (kind == "uniform") return params[1] > params[0] ? std::clamp((x - params[0]) / (params[1] - params[0]), 0.0, 1.0) : (x >= params[0] ? 1 : 0);
  double total = 0, below = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    total += weights[i];
    if (values[i] <= x) below += weights[i];
  }
  return total > 0 ? below / total : 0;
}

double SizeFit::quantile(double p) const {
  if (kind == "constant") return params[0];
  if (kind == "lognormal") return params[0] * std::exp(params[1] * normal_quantile(p));
  if (kind == "normal") return params[0] + params[1] * normal_quantile(p);
  if (kind == "exponential") return -params[0] * std::log(1 - std::min(p, 1 - 1e-12));
  if (kind == "uniform") return params[0] + p * (params[1] - params[0]);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double acc = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    acc += weights[i];
    if (acc >= p * total) return values[i];
  }
  return values.empty() ? 0 : values.back();
}

std::string SizeFit::yaml() const {
  if (kind == "constant") return tokens(params[0]);
  if (kind == "lognormal") return fmt::format("{{lognormal: {{median: {}, sigma: {:.3f}}}}}", tokens(params[0]), params[1]);
  if (kind == "normal") return fmt::format("{{normal: {{mean: {}, sd: {}}}}}", tokens(params[0]), tokens(params[1]));
  if (kind == "exponential") return fmt::format("{{exponential: {{mean: {}}}}}", tokens(params[0]));
  if (kind == "uniform") return fmt::format("{{uniform: [{}, {}]}}", tokens(params[0]), tokens(params[1]));
  std::string v, w;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) {
      v += ", ";
      w += ", ";
    }
    v += tokens(values[i]);
    w += tokens(weights[i]);
  }
  return "{empirical: {values: [" + v + "], weights: [" + w + "]}}";
}

namespace {
SizeFit fit_sizes_sorted(const std::vector<double>& x);
}  // namespace

SizeFit fit_sizes(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  std::vector<double> observed;
  for (int k = 1; k <= 99 && !x.empty(); ++k) observed.push_back(calibrate::quantile(x, (k - 0.5) / 99));
  SizeFit best = fit_sizes_sorted(x);
  best.observed = std::move(observed);
  return best;
}

SizeFit fit_sizes_censored(std::vector<double> exact, const std::vector<double>& above) {
  if (above.empty()) return fit_sizes(std::move(exact));
  const LognormalFit l = fit_lognormal_censored(exact, above);
  if (l.censored == 0) return fit_sizes(std::move(exact));
  SizeFit f{.kind = "lognormal", .params = {l.median, l.sigma}, .n = l.n, .censored = l.censored};
  const auto km = kaplan_meier(exact, above);
  // Whole token counts: the form's mass up to v + 0.5 against the estimate at v, and up to
  // v − 0.5 against the estimate just below v.
  double before = 0;
  for (const auto& [v, F] : km) {
    f.ks = std::max({f.ks, std::abs(f.cdf(v + 0.5) - F), std::abs(f.cdf(v - 0.5) - before)});
    before = F;
  }
  f.ks_critical = kKsCritical1pct / std::sqrt(static_cast<double>(l.n));
  for (int k = 1; k <= 99; ++k) {
    const double p = (k - 0.5) / 99;
    const auto it = std::lower_bound(km.begin(), km.end(), p, [](const auto& step, double q) { return step.second < q; });
    if (it == km.end()) break;
    f.observed.push_back(it->first);
  }
  return f;
}

namespace {
SizeFit fit_sizes_sorted(const std::vector<double>& x) {
  SizeFit best;
  best.n = x.size();
  if (x.empty()) {
    best.kind = "constant";
    best.params = {1};
    return best;
  }
  const double n = static_cast<double>(x.size());
  best.ks_critical = kKsCritical1pct / std::sqrt(n);
  if (x.front() == x.back()) {
    best.kind = "constant";
    best.params = {x.front()};
    return best;
  }
  // Distinct values and the empirical CDF just below and at each.
  std::vector<double> distinct, below, at;
  for (std::size_t i = 0; i < x.size();) {
    std::size_t j = i;
    while (j < x.size() && x[j] == x[i]) ++j;
    distinct.push_back(x[i]);
    below.push_back(static_cast<double>(i) / n);
    at.push_back(static_cast<double>(j) / n);
    i = j;
  }
  // Token counts are whole numbers drawn from a continuous form and rounded: compare the
  // form's mass up to v + 0.5 with the share at or below v, and up to v − 0.5 with the share below.
  const auto ks = [&](const SizeFit& f) {
    double d = 0;
    for (std::size_t i = 0; i < distinct.size(); ++i)
      d = std::max({d, std::abs(f.cdf(distinct[i] + 0.5) - at[i]), std::abs(f.cdf(distinct[i] - 0.5) - below[i])});
    return d;
  };
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double var = 0;
  for (const double v : x) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / n);
  std::vector<SizeFit> candidates;
  if (x.front() > 0) {
    const LognormalFit l = fit_lognormal(x);
    candidates.push_back(SizeFit{.kind = "lognormal", .params = {l.median, l.sigma}});
  }
  candidates.push_back(SizeFit{.kind = "normal", .params = {mean, sd}});
  candidates.push_back(SizeFit{.kind = "exponential", .params = {mean}});
  candidates.push_back(SizeFit{.kind = "uniform", .params = {x.front(), x.back()}});
  double best_d = 2;
  for (SizeFit& c : candidates) {
    c.ks = ks(c);
    if (c.ks < best_d) {
      best_d = c.ks;
      best = c;
    }
  }
  best.n = x.size();
  best.ks_critical = kKsCritical1pct / std::sqrt(n);
  if (best.ks <= best.ks_critical) return best;
  SizeFit e{.kind = "empirical", .n = x.size()};
  e.ks_critical = best.ks_critical;
  if (distinct.size() <= 40) {
    e.values = distinct;
    for (std::size_t i = 0; i < distinct.size(); ++i) e.weights.push_back(std::round((at[i] - below[i]) * n));
  } else {
    for (int k = 0; k < 40; ++k) {
      const double v = std::round(calibrate::quantile(x, (k + 0.5) / 40));
      if (!e.values.empty() && e.values.back() == v) e.weights.back() += 1;
      else {
        e.values.push_back(v);
        e.weights.push_back(1);
      }
    }
  }
  e.ks = ks(e);
  return e;
}
}  // namespace

}  // namespace ratesim::calibrate
