// The statistics of calibrate against known answers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "sim/calibrate/fit.hpp"

using namespace ratesim::calibrate;

TEST_CASE("the robust linear fit ignores gross outliers that pull least squares away", "[calibrate]") {
  // y = 2 + 3x exactly, x = 0..99, except every tenth point is 200 too high. Ordinary least
  // squares moves the line by about 20 (the outliers' mean); Huber's weights shrink them.
  std::vector<double> ones, x, y;
  for (int i = 0; i < 100; ++i) {
    ones.push_back(1);
    x.push_back(i);
    y.push_back(2 + 3.0 * i + (i % 10 == 0 ? 200 : 0));
  }
  const LinearFit f = robust_linear_fit({ones, x}, y);
  CHECK(f.beta[0] == Approx(2).margin(0.5));
  CHECK(f.beta[1] == Approx(3).margin(0.01));
  // Without outliers it is exact.
  for (int i = 0; i < 100; i += 10) y[static_cast<std::size_t>(i)] -= 200;
  const LinearFit exact = robust_linear_fit({ones, x}, y);
  CHECK(exact.beta[0] == Approx(2).margin(1e-9));
  CHECK(exact.beta[1] == Approx(3).margin(1e-9));
}

TEST_CASE("a lognormal by maximum likelihood: the median is exp of the mean log", "[calibrate]") {
  // ln x = ln 2 ± 0.5 in equal numbers: mu = ln 2, sigma = 0.5 (divided by n).
  const LognormalFit f = fit_lognormal({2 * std::exp(0.5), 2 * std::exp(-0.5), 2 * std::exp(0.5), 2 * std::exp(-0.5), -1});
  CHECK(f.n == 4);  // the non-positive value is left out
  CHECK(f.median == Approx(2));
  CHECK(f.sigma == Approx(0.5));
  CHECK(f.median_ci.low == Approx(2 * std::exp(-1.959964 * 0.5 / 2)).epsilon(1e-5));
}

TEST_CASE("token sizes: the form that fits, else an empirical distribution", "[calibrate]") {
  std::mt19937_64 rng(5);
  SECTION("all equal is a constant") {
    const SizeFit f = fit_sizes(std::vector<double>(50, 3000));
    CHECK(f.kind == "constant");
    CHECK(f.yaml() == "3000");
  }
  SECTION("whole numbers drawn uniformly are uniform") {
    std::uniform_real_distribution<double> u(100, 600);
    std::vector<double> x;
    for (int i = 0; i < 5000; ++i) x.push_back(std::round(u(rng)));
    const SizeFit f = fit_sizes(x);
    CHECK(f.kind == "uniform");
    CHECK(f.ks <= f.ks_critical);
    CHECK(f.params[0] == Approx(100).margin(1));
    CHECK(f.params[1] == Approx(600).margin(1));
  }
  SECTION("lognormal draws are lognormal with their median and sigma") {
    std::lognormal_distribution<double> l(std::log(2500.0), 0.4);
    std::vector<double> x;
    for (int i = 0; i < 5000; ++i) x.push_back(std::round(l(rng)));
    const SizeFit f = fit_sizes(x);
    CHECK(f.kind == "lognormal");
    CHECK(f.params[0] == Approx(2500).epsilon(0.03));
    CHECK(f.params[1] == Approx(0.4).epsilon(0.05));
  }
  SECTION("two clusters fit no single form: empirical, with the values and their shares") {
    std::vector<double> x;
    for (int i = 0; i < 300; ++i) x.push_back(i % 3 == 0 ? 100 : 5000);
    const SizeFit f = fit_sizes(x);
    CHECK(f.kind == "empirical");
    CHECK(f.yaml() == "{empirical: {values: [100, 5000], weights: [100, 200]}}");
    CHECK(f.quantile(0.2) == 100);
    CHECK(f.quantile(0.5) == 5000);
  }
}

TEST_CASE("Wilson's interval and the normal quantile", "[calibrate]") {
  // 10 of 100: the textbook interval is 0.0552 to 0.1744.
  const Interval w = wilson(10, 100);
  CHECK(w.low == Approx(0.0552).margin(1e-4));
  CHECK(w.high == Approx(0.1744).margin(1e-4));
  CHECK(normal_quantile(0.975) == Approx(1.959964).margin(1e-6));
  CHECK(normal_quantile(0.5) == Approx(0).margin(1e-9));
  CHECK(normal_cdf(normal_quantile(0.01)) == Approx(0.01).margin(1e-9));
}

TEST_CASE("Kaplan-Meier: the distribution function with right-censored values, worked by hand", "[calibrate]") {
  // Exact 1, 3, 3, 5; censored above 2 and above 4. At 1: 1 of 6 at risk, S = 5/6. The value
  // above 2 leaves. At 3: 2 of 4, S = 5/6 · 2/4 = 5/12. The value above 4 leaves. At 5: 1 of 1, S = 0.
  const auto km = kaplan_meier({5, 3, 1, 3}, {4, 2});
  REQUIRE(km.size() == 3);
  CHECK(km[0].first == 1);
  CHECK(km[0].second == Approx(1.0 / 6));
  CHECK(km[1].first == 3);
  CHECK(km[1].second == Approx(7.0 / 12));
  CHECK(km[2].second == Approx(1.0));
  // The largest value censored: the estimate stops short of 1. A tie counts the censored value
  // as at risk at the event (it is known to exceed it).
  const auto open = kaplan_meier({1, 2}, {2});
  REQUIRE(open.size() == 2);
  CHECK(open[1].second == Approx(1 - (2.0 / 3) * (1.0 / 2)));
}

TEST_CASE("a censored lognormal fit recovers the distribution that successes alone understate", "[calibrate]") {
  // 4,000 values at the quantiles of lognormal(median 2,000, sigma 0.5); those above a limit
  // that varies from value to value (independent of it: the room at a request's first attempt)
  // are seen only as "above the limit", as a refusal for size shows them.
  constexpr double kMedian = 2000, kSigma = 0.5;
  constexpr int n = 4000;
  std::mt19937_64 rng(7);
  std::vector<double> values;
  for (int k = 0; k < n; ++k) values.push_back(kMedian * std::exp(kSigma * normal_quantile((k + 0.5) / n)));
  std::shuffle(values.begin(), values.end(), rng);
  std::uniform_real_distribution<double> room(0, 5000);
  std::vector<double> exact, above;
  for (const double v : values) {
    const double limit = room(rng);
    if (v <= limit) exact.push_back(v);
    else above.push_back(limit);
  }
  REQUIRE(above.size() > n / 3);
  const LognormalFit naive = fit_lognormal(exact);
  CHECK(naive.median < 0.85 * kMedian);  // the survivors are the small ones
  const LognormalFit f = fit_lognormal_censored(exact, above);
  CHECK(f.n == n);
  CHECK(f.censored == above.size());
  CHECK(f.median == Approx(kMedian).epsilon(0.04));
  CHECK(f.sigma == Approx(kSigma).epsilon(0.06));
  CHECK(f.median_ci.low < f.median);
  CHECK(f.median_ci.high > f.median);
  // Without censored values it is the plain fit.
  const LognormalFit plain = fit_lognormal_censored(exact, {});
  CHECK(plain.median == Approx(naive.median));
  CHECK(plain.sigma == Approx(naive.sigma));
  // As a size fit: lognormal, its censored count, and quantiles from the Kaplan-Meier estimate
  // near the true ones where the estimate reaches.
  const SizeFit s = fit_sizes_censored(exact, above);
  CHECK(s.kind == "lognormal");
  CHECK(s.censored == above.size());
  CHECK(s.ks < 0.03);
  REQUIRE(s.observed.size() > 49);
  CHECK(s.observed[49] == Approx(kMedian).epsilon(0.05));
}
