// The options commands share, read through program_options as a command reads them.
#include <catch2/catch.hpp>

#include <boost/program_options.hpp>

#include "sim/cli/shared_options.hpp"
#include "sim/cli/usage.hpp"
#include "sim/scenario/input_error.hpp"

namespace po = boost::program_options;
using namespace ratesim::cli;

namespace {

/// Parses `args` against `options` as parse_command_line does: store, then notify.
void parse(const po::options_description& options, const std::vector<std::string>& args) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
}

}  // namespace

TEST_CASE("shared options left out keep their defaults", "[cli]") {
  po::options_description d;
  const SeedOption seed(d);
  const JobsOption jobs(d);
  const ReplicationsOption replications(d, "runs");
  const VariantOption variant(d, "variant");
  const SetOption sets(d, "set");
  parse(d, {});
  CHECK_FALSE(seed.value().has_value());
  CHECK(jobs.value() == all_cores());
  CHECK(jobs.value() >= 1);
  CHECK(replications.value() == 1);
  CHECK(variant.value().empty());
  CHECK(sets.value().empty());
}

TEST_CASE("shared options hold the values given", "[cli]") {
  po::options_description d;
  const SeedOption seed(d);
  const JobsOption jobs(d);
  const ReplicationsOption replications(d, "runs");
  const VariantsOption variants(d, "variants");
  const SetOption sets(d, "set");
  parse(d, {"--seed", "0", "--jobs", "256", "--replications", "10000", "--variant", "b", "--variant", "a", "--set",
            "x=1", "--set", "y.z=[1, 2]"});
  CHECK(seed.value() == 0u);
  CHECK(jobs.value() == 256);
  CHECK(replications.value() == 10000);
  CHECK(variants.value() == std::vector<std::string>{"b", "a"});  // in the order given
  CHECK(sets.value() == std::vector<std::string>{"x=1", "y.z=[1, 2]"});
}

TEST_CASE("shared option values are whole numbers within their bounds", "[cli]") {
  // 9e15 is the largest seed: above 2^53 (about 9.007e15) a double skips whole numbers.
  CHECK(parse_seed("9000000000000000") == 9'000'000'000'000'000u);
  CHECK_THROWS_WITH(parse_seed("9000000000000001"),
                    "invalid value '9000000000000001' for --seed: expected a whole number >= 0");
  CHECK_THROWS_AS(parse_seed("-1"), UsageError);
  CHECK_THROWS_AS(parse_seed(""), UsageError);
  CHECK(parse_jobs("1") == 1);
  CHECK_THROWS_WITH(parse_jobs("0"), "invalid value '0' for --jobs: expected a whole number from 1 to 256");
  CHECK_THROWS_AS(parse_jobs("2.5"), UsageError);
  CHECK_THROWS_AS(parse_jobs(""), UsageError);  // given empty is not "every core"
  CHECK_THROWS_WITH(parse_replications("10001"),
                    "invalid value '10001' for --replications: expected a whole number from 1 to 10000");
  CHECK_THROWS_AS(parse_replications("three"), UsageError);
}

TEST_CASE("a bad shared option is refused while the command line is read", "[cli]") {
  po::options_description d;
  const VariantsOption variants(d, "variants");
  const SetOption sets(d, "set");
  CHECK_THROWS_WITH(parse(d, {"--variant", "a", "--variant", ""}),
                    "invalid value '' for --variant: expected the name of one of the scenario's variants");
  CHECK_THROWS_AS(parse(d, {"--set", "=1"}), ratesim::scenario::InputError);
  CHECK_THROWS_WITH(parse(d, {"--set", "x=1", "--set", "nothing"}),
                    "--set nothing: expected PATH=VALUE, e.g. --set workloads.chat.deadline=30s");
}
