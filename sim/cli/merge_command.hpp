// `ratesim merge PART.csv... --out F.csv`: joins the parts of a sharded sweep (sweep --shard K/N)
// into the CSV the unsharded sweep writes, byte for byte (docs/scale-out.md).
#pragma once

#include <string>
#include <vector>

#include "sim/report/sweep_csv.hpp"

namespace ratesim::cli {

int merge_command(const std::vector<std::string>& args);

/// A part as read back: its shard, header and runs. Throws scenario::InputError (at file:line)
/// for what is not a part.
struct SweepPart {
  std::string file;
  report::SweepShard shard;
  std::string header;  ///< the CSV header line
  report::SweepData data;  ///< points and values where the part has runs; empty elsewhere
};
SweepPart read_sweep_part(const std::string& file);

/// The whole sweep from its parts, in any order. Throws scenario::InputError when parts come
/// from different sweeps, one is missing or given twice, or a part lacks runs of its slice.
report::SweepData merge_sweep_parts(const std::vector<SweepPart>& parts);

}  // namespace ratesim::cli
