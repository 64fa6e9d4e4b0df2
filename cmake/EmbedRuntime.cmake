# cmake -P EmbedRuntime.cmake -DOUTPUT=file.cpp -DAPI=api.h -DPRELUDE="a.h|b.h" -DGPU_PRELUDE="…"
#   -DTORCH=torch.h
# Writes a C++ source holding the runtime headers as strings, so keopsc can paste them into
# generated code and the generated library needs no runtime headers at build or run time.
# `#include "keops/..."` lines are dropped: the files are concatenated in dependency order.
function(read_stripped path out_var)
  file(READ ${path} text)
  string(REGEX REPLACE "#include \"keops/[^\n]*\n" "" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(read_all paths out_var)
  string(REPLACE "|" ";" paths "${paths}")
  set(all "")
  foreach(path IN LISTS paths)
    read_stripped(${path} text)
    string(APPEND all "${text}")
  endforeach()
  set(${out_var} "${all}" PARENT_SCOPE)
endfunction()

read_stripped(${API} api_text)
read_all("${PRELUDE}" prelude_text)
read_all("${GPU_PRELUDE}" gpu_prelude_text)
read_stripped(${TORCH} torch_text)
file(WRITE ${OUTPUT}.tmp
"// Generated at build time from runtime/include/keops/. Do not edit.
#include \"codegen/RuntimeSources.h\"
namespace keopsc::codegen {
const char *runtimeApiText() {
  return R\"KEOPSRT(${api_text})KEOPSRT\";
}
const char *runtimePreludeText() {
  return R\"KEOPSRT(${prelude_text})KEOPSRT\";
}
const char *runtimeGpuPreludeText() {
  return R\"KEOPSRT(${gpu_prelude_text})KEOPSRT\";
}
const char *runtimeTorchText() {
  return R\"KEOPSRT(${torch_text})KEOPSRT\";
}
} // namespace keopsc::codegen
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
