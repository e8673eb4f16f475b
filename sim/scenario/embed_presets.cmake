# Writes a C++ file holding every preset YAML file as a string (run by CMake at configure
# time). Inputs: PRESET_DIR, OUTPUT.
file(GLOB_RECURSE files RELATIVE "${PRESET_DIR}" "${PRESET_DIR}/*.yaml")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  file(READ "${PRESET_DIR}/${f}" text)
  string(REGEX REPLACE "\\.yaml$" "" name "${f}")
  string(APPEND body "      {\"${name}\", R\"ratesim_preset(${text})ratesim_preset\"},\n")
endforeach()
file(WRITE "${OUTPUT}.new" "// Generated from presets/ by sim/scenario/embed_presets.cmake. Do not edit.
#include \"sim/scenario/presets.hpp\"

namespace ratesim::scenario {

const std::vector<Preset>& preset_data() {
  static const std::vector<Preset> data{
${body}  };
  return data;
}

}  // namespace ratesim::scenario
")
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
