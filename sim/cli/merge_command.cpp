#include "sim/cli/merge_command.hpp"

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <zlib.h>
#include <optional>
#include <iostream>
#include <limits>

#include "sim/cli/command_line.hpp"
#include "sim/cli/usage.hpp"
#include "sim/report/csv.hpp"
#include "sim/report/output_set.hpp"
#include "sim/scenario/input_error.hpp"

namespace po = boost::program_options;

namespace ratesim::cli {
namespace {

using scenario::InputError;

/// One CSV line's fields.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  report::split_csv_line(line, out);
  return out;
}

std::optional<std::uint64_t> whole(const std::string& s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> exact(const std::string& s) {
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// The whole file, decompressed when its name ends in .gz (a part written with --out F.csv.gz).
std::string read_text(const std::string& file) {
  if (file.size() > 3 && file.compare(file.size() - 3, 3, ".gz") == 0) {
    gzFile gz = gzopen(file.c_str(), "rb");
    if (!gz) throw InputError(file, 0, 0, "cannot open the sweep part");
    std::string text;
    char buffer[1 << 16];
    int n = 0;
    while ((n = gzread(gz, buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
      if (text.size() > (1ull << 32)) break;
    }
    int error = Z_OK;
    const std::string message = gzerror(gz, &error);
    gzclose(gz);
    if (n < 0 || (error != Z_OK && error != Z_STREAM_END) || text.size() > (1ull << 32))
      throw InputError(file, 0, 0, "cannot read the compressed sweep part: " + message);
    return text;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, 0, 0, "cannot open the sweep part");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

SweepPart read_sweep_part(const std::string& file) {
  scenario::check_input_file(file, 1ull << 30, "sweep part");
  std::istringstream in(read_text(file));
  SweepPart part{.file = file};
  std::string line;
  const auto not_a_part = [&]() {
    return InputError(file, 1, 1, "not a sweep part: expected a first line '# ratesim sweep part K/N of sweep ID: ...' "
                                  "(from ratesim sweep --shard K/N)");
  };
  if (!std::getline(in, line) || line.rfind("# ratesim sweep part ", 0) != 0) throw not_a_part();
  // "# ratesim sweep part K/N of sweep ID: P points x R replications, seed S"
  int k = 0, n = 0, r = 0;
  unsigned long long points = 0, seed = 0;
  char id[64] = {0};
  if (std::sscanf(line.c_str(), "# ratesim sweep part %d/%d of sweep %63[0-9a-f]: %llu points x %d replications, seed %llu", &k, &n,
                  id, &points, &r, &seed) != 6 || k < 1 || n < 1 || k > n || r < 1 || points == 0)
    throw not_a_part();
  part.shard = report::SweepShard{.index = k, .count = n, .sweep = id};
  if (!std::getline(in, part.header)) throw InputError(file, 2, 1, "the part has no CSV header");
  const std::vector<std::string> head = fields_of(part.header);
  const auto rep_col = std::find(head.begin(), head.end(), "replication");
  if (head.empty() || head[0] != "point" || rep_col == head.end() || rep_col + 1 == head.end() || *(rep_col + 1) != "seed")
    throw InputError(file, 2, 1, "the part's header is not a sweep's: expected point, the grid paths, replication, seed, metrics");
  const auto axes = static_cast<std::size_t>(rep_col - head.begin()) - 1;
  report::SweepData& d = part.data;
  d.axes.assign(head.begin() + 1, head.begin() + 1 + static_cast<std::ptrdiff_t>(axes));
  d.metrics.assign(rep_col + 2, head.end());
  d.replications = r;
  d.seed = seed;
  d.points.resize(points);
  d.values.resize(points * static_cast<std::size_t>(r));
  int number = 2;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const std::vector<std::string> f = fields_of(line);
    if (f.size() != head.size())
      throw InputError(file, number, 1, fmt::format("expected {} fields as in the header, got {}", head.size(), f.size()));
    const auto p = whole(f[0]);
    const auto rep = whole(f[axes + 1]);
    const auto s = whole(f[axes + 2]);
    if (!p || *p >= points || !rep || *rep >= static_cast<std::uint64_t>(r) || !s || *s != seed + *rep)
      throw InputError(file, number, 1, "not a run of this sweep (its point, replication or seed is out of range)");
    const std::size_t run = *p * static_cast<std::size_t>(r) + *rep;
    if (!report::in_shard(run, part.shard))
      throw InputError(file, number, 1, fmt::format("run {} does not belong to part {}/{}", run, k, n));
    if (!d.values[run].empty()) throw InputError(file, number, 1, fmt::format("run {} is in the part twice", run));
    d.points[*p].assign(f.begin() + 1, f.begin() + 1 + static_cast<std::ptrdiff_t>(axes));
    for (std::size_t m = axes + 3; m < f.size(); ++m) {
      const auto v = exact(f[m]);
      if (!v) throw InputError(file, number, static_cast<int>(m) + 1, fmt::format("invalid value '{}': expected a number", f[m]));
      d.values[run].push_back(*v);
    }
  }
  return part;
}

report::SweepData merge_sweep_parts(const std::vector<SweepPart>& parts) {
  const SweepPart& first = parts.front();
  const int n = first.shard.count;
  std::vector<const SweepPart*> by_index(static_cast<std::size_t>(n) + 1, nullptr);
  for (const SweepPart& p : parts) {
    if (p.shard.sweep != first.shard.sweep || p.shard.count != n || p.header != first.header ||
        p.data.points.size() != first.data.points.size() || p.data.replications != first.data.replications ||
        p.data.seed != first.data.seed)
      throw InputError(p.file, 1, 1, fmt::format("part {}/{} of sweep {} does not belong with {} (part {}/{} of sweep {}): "
                                                 "parts must come from one sweep, with the same scenario, overrides, grid, "
                                                 "replications and seed",
                                                 p.shard.index, p.shard.count, p.shard.sweep, first.file, first.shard.index, n,
                                                 first.shard.sweep));
    const SweepPart*& slot = by_index[static_cast<std::size_t>(p.shard.index)];
    if (slot) throw InputError(p.file, 1, 1, fmt::format("part {}/{} is given twice (also {})", p.shard.index, n, slot->file));
    slot = &p;
  }
  std::string missing;
  for (int k = 1; k <= n; ++k)
    if (!by_index[static_cast<std::size_t>(k)]) {
      if (!missing.empty()) missing += ", ";
      missing += std::to_string(k);
    }
  if (!missing.empty())
    throw InputError(first.file, 0, 0, fmt::format("the sweep has {} parts; missing: {} (of sweep {})", n, missing, first.shard.sweep));
  report::SweepData d = first.data;
  for (const SweepPart& p : parts)
    for (std::size_t run = 0; run < d.values.size(); ++run) {
      if (!report::in_shard(run, p.shard)) continue;
      if (p.data.values[run].empty())
        throw InputError(p.file, 0, 0, fmt::format("part {}/{} lacks run {} of its slice (cut short?)", p.shard.index, n, run));
      d.values[run] = p.data.values[run];
      d.points[run / static_cast<std::size_t>(d.replications)] = p.data.points[run / static_cast<std::size_t>(d.replications)];
    }
  return d;
}

int merge_command(const std::vector<std::string>& args) {
  po::options_description visible(R"(Usage: ratesim merge PART.csv... --out F.csv

Joins the parts of a sharded sweep (ratesim sweep ... --shard K/N --out PART.csv, one per K) into
the CSV the same sweep writes unsharded, byte for byte, whatever order the parts are given in.
Refuses (exit 2) a missing or repeated part, and parts of different sweeps (another scenario,
override, grid, replication count or seed). Prints the sweep's table.

Options)");
  std::string out;
  visible.add_options()("help,h", "show this help")("out", po::value(&out), "the CSV file to write (required)");
  std::vector<std::string> files;
  po::variables_map vm;
  if (!parse_command_line_files("merge", args, visible, vm, files, 1, 100'000, "the PART files of a sweep",
                                "\nExit codes: 0 ok, 2 bad input or usage (a missing, repeated or foreign part), 3 internal error.\n"))
    return kExitOk;
  if (out.empty()) throw UsageError("merge needs --out F.csv (see 'ratesim merge --help')");
  std::vector<SweepPart> parts;
  for (const std::string& f : files) parts.push_back(read_sweep_part(f));
  const report::SweepData d = merge_sweep_parts(parts);
  report::OutputSet outputs;
  if (const auto parent = std::filesystem::path(out).parent_path(); !parent.empty()) outputs.directory(parent);
  report::write_sweep_csv(outputs.file(out).stream(), d);
  outputs.commit();
  std::cout << fmt::format("{} parts: {} points × {} replications = {} runs\n\n", parts.size(), d.points.size(), d.replications,
                           d.values.size());
  std::cout << report::sweep_table_text(d);
  std::cout << fmt::format("\nwrote {}\n", out);
  return kExitOk;
}

}  // namespace ratesim::cli
