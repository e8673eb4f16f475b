#include "sim/cli/shared_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "sim/cli/usage.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

/// `text` as a whole number in [low, high], or nullopt.
std::optional<double> whole_number(const std::string& text, double low, double high) {
  const auto v = scenario::parse_number(text);
  if (!v || *v < low || *v > high || *v != std::floor(*v)) return std::nullopt;
  return *v;
}

}  // namespace

std::uint64_t parse_seed(const std::string& text) {
  // Above 2^53 a double no longer holds every whole number; 9e15 stays below it.
  const auto v = whole_number(text, 0, 9.0e15);
  if (!v) throw UsageError(fmt::format("invalid value '{}' for --seed: expected a whole number >= 0", text));
  return static_cast<std::uint64_t>(*v);
}

int parse_jobs(const std::string& text) {
  const auto v = whole_number(text, 1, kMaxJobs);
  if (!v)
    throw UsageError(fmt::format("invalid value '{}' for --jobs: expected a whole number from 1 to {}", text, kMaxJobs));
  return static_cast<int>(*v);
}

int parse_replications(const std::string& text) {
  const auto v = whole_number(text, 1, kMaxReplications);
  if (!v)
    throw UsageError(fmt::format("invalid value '{}' for --replications: expected a whole number from 1 to {}", text,
                                 kMaxReplications));
  return static_cast<int>(*v);
}

const std::string& check_variant_name(const std::string& name) {
  if (name.empty())
    throw UsageError("invalid value '' for --variant: expected the name of one of the scenario's variants");
  return name;
}

int all_cores() { return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, unsigned{kMaxJobs})); }

SeedOption::SeedOption(po::options_description& options, const char* help) {
  options.add_options()("seed", po::value<std::string>()->notifier([this](const std::string& t) { value_ = parse_seed(t); }),
                        help);
}

JobsOption::JobsOption(po::options_description& options, const char* help) {
  options.add_options()("jobs", po::value<std::string>()->notifier([this](const std::string& t) { value_ = parse_jobs(t); }),
                        help);
}

ReplicationsOption::ReplicationsOption(po::options_description& options, const char* help) {
  options.add_options()(
      "replications", po::value<std::string>()->notifier([this](const std::string& t) { value_ = parse_replications(t); }),
      help);
}

VariantOption::VariantOption(po::options_description& options, const char* help) {
  options.add_options()(
      "variant", po::value<std::string>()->notifier([this](const std::string& t) { value_ = check_variant_name(t); }),
      help);
}

VariantsOption::VariantsOption(po::options_description& options, const char* help) {
  options.add_options()("variant", po::value<std::vector<std::string>>()->composing()->notifier([this](const auto& names) {
    for (const std::string& n : names) check_variant_name(n);
    value_ = names;
  }),
                        help);
}

SetOption::SetOption(po::options_description& options, const char* help) {
  options.add_options()("set", po::value<std::vector<std::string>>()->composing()->notifier([this](const auto& sets) {
    for (const std::string& s : sets) scenario::check_set_argument(s);
    value_ = sets;
  }),
                        help);
}

}  // namespace ratesim::cli
