// A sweep's results: the CSV of `ratesim sweep` (a row per run, then each point's mean and 95%
// interval), the table on stdout, and the part files of a sharded sweep (`sweep --shard K/N`),
// which `ratesim merge` joins into the exact bytes of the unsharded CSV.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace ratesim::report {

struct SweepData {
  std::vector<std::string> axes;                 ///< the --grid paths
  std::vector<std::vector<std::string>> points;  ///< each point's values, as given
  std::vector<std::string> metrics;              ///< summary.json paths, e.g. total.requests.ok
  int replications = 1;
  std::uint64_t seed = 0;
  /// By run (point-major: run = point × replications + replication), by metric; NaN: no value.
  /// A part's runs not in its slice are empty.
  std::vector<std::vector<double>> values;
};

/// The sweep CSV. REQUIRES: every run has its values.
void write_sweep_csv(std::ostream& out, const SweepData& d);

/// One row per point: its values, then means (± half the 95% interval) of a few metrics.
std::string sweep_table_text(const SweepData& d);

/// Which shard of how many, of which sweep.
struct SweepShard {
  int index = 1;      ///< K, 1-based
  int count = 1;      ///< N
  std::string sweep;  ///< the sweep's fingerprint: the same scenario, overrides, grid, replications and seed
};

/// Whether run `run` belongs to shard `s` (round robin over the runs, so each part gets a share
/// of every kind of point).
inline bool in_shard(std::size_t run, const SweepShard& s) {
  return run % static_cast<std::size_t>(s.count) == static_cast<std::size_t>(s.index - 1);
}

/// A part: a first line naming the shard and the sweep, the CSV header, and its runs' rows with
/// every value at full precision (so that the merge computes the same means to the last bit).
void write_sweep_part(std::ostream& out, const SweepData& d, const SweepShard& shard);

/// The first line of a part: "# ratesim sweep part K/N of sweep ID: P points x R replications, seed S".
std::string sweep_part_line(const SweepData& d, const SweepShard& shard);

/// The CSV header line (without the newline).
std::string sweep_csv_header(const SweepData& d);

}  // namespace ratesim::report
