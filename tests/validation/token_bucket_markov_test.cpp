// Validation: Poisson arrivals into a token bucket, simulated by ratesim, against an independent
// numerical solution of the same model.
//
// The model: a bucket of C tokens refilled continuously at r tokens/s; requests arrive as a
// Poisson process of rate λ and each takes one token if there is one, else is refused. The
// token level is discretised in steps of 1/K: refill becomes a chain of +1/K steps at rate r·K
// (an Erlang clock, deterministic as K grows) and an admission a jump of −K steps at rate λ.
// The stationary distribution π of that continuous-time Markov chain (πQ = 0, Σπ = 1, solved
// with Eigen) gives the long-run share of requests admitted: P(level ≥ 1 token).
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>

#include "test_support.hpp"

using namespace ratesim;
using namespace ratesim::testing;

namespace {

/// The share of Poisson(λ) requests a bucket of `capacity` tokens refilled at `rate`/s admits.
double admitted_share(int capacity, double rate, double lambda, int k) {
  const int n = capacity * k + 1;  // levels 0, 1/K, ..., C
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    if (i + 1 < n) q(i, i + 1) += rate * k;  // refill step
    if (i >= k) q(i, i - k) += lambda;         // an admitted request
    q(i, i) = -q.row(i).sum();
  }
  // Solve π Q = 0 with Σ π = 1: transpose, and replace one equation by the normalisation.
  Eigen::MatrixXd a = q.transpose();
  a.row(n - 1).setOnes();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  b(n - 1) = 1.0;
  const Eigen::VectorXd pi = a.partialPivLu().solve(b);
  return pi.tail(n - k).sum();
}

}  // namespace

TEST_CASE("the Markov-chain solution converges as the level grid is refined", "[validation]") {
  const double coarse = admitted_share(5, 1.0, 1.2, 50);
  const double fine = admitted_share(5, 1.0, 1.2, 100);
  CHECK(std::abs(coarse - fine) < 0.01);
  // Sanity: with arrivals far below the refill rate nearly everything passes.
  CHECK(admitted_share(5, 1.0, 0.2, 50) > 0.999);
}

TEST_CASE("a token bucket under Poisson arrivals admits the share the Markov chain predicts",
          "[validation]") {
  // rpm 60 with burst 5 s: a bucket of 5 tokens refilled at 1/s. Arrivals: Poisson 1.2/s for
  // 24 h, about 104,000 requests, sent once (no retries).
  for (const double lambda : {0.8, 1.2}) {
    INFO("arrival rate " << lambda);
    const std::string yaml =
        "name: markov\nseed: 11\nduration: 24h\n" +
        provider_yaml("{rpm: 60}", "  burst: 5s\n") +
        "workloads:\n  - {name: w, model: m, traffic: [{for: 24h, rate: " + std::to_string(lambda) +
        "}], input_tokens: 1, output_tokens: 1, max_tokens: 1}\n";
    const auto s = run_yaml(yaml);
    const double simulated = static_cast<double>(s.total.attempts_ok) / s.total.attempts;
    const double predicted = admitted_share(5, 1.0, lambda, 100);
    // Tolerance: five binomial standard errors (successive admissions are correlated, so this
    // is generous rather than tight) plus the grid's discretisation error.
    const double n = static_cast<double>(s.total.attempts);
    const double discretisation = std::abs(admitted_share(5, 1.0, lambda, 50) - predicted);
    const double tolerance = 5 * std::sqrt(predicted * (1 - predicted) / n) + 2 * discretisation;
    INFO("simulated " << simulated << ", predicted " << predicted << ", tolerance " << tolerance);
    CHECK(std::abs(simulated - predicted) < tolerance);
  }
}
