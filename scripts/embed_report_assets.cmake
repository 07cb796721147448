# Writes OUT: a C file holding interp/report_assets/report.css and report.js as strings
# (wz_report_css, wz_report_js), which every HTML report carries inline.
set(body "/* Generated from interp/report_assets by scripts/embed_report_assets.cmake. Do not edit. */\n")
foreach(pair "css;report.css" "js;report.js")
  list(GET pair 0 sym)
  list(GET pair 1 name)
  file(READ ${SRC_DIR}/${name} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "const char wz_report_${sym}[] = {${hex}0x00};\n")
endforeach()
file(WRITE ${OUT} "${body}")
