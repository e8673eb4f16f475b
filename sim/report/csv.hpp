// CSV fields as RFC 4180 writes them: quoted when they hold a comma, a quote or a line break.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ratesim::report {

/// `s` as a CSV field.
std::string csv_field(const std::string& s);

/// Splits one line (no line breaks inside quotes) into `out`. Returns false when a quoted field
/// is not closed.
bool split_csv_line(std::string_view line, std::vector<std::string>& out);

}  // namespace ratesim::report
