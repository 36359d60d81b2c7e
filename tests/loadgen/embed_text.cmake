# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -DNAMESPACE=ns -P embed_text.cmake
# Writes a .cc defining `extern const char SYMBOL[]` holding INPUT's text.
file(READ "${INPUT}" text)
string(FIND "${text}" ")EMBED\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )EMBED\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT}; do not edit.\n"
  "namespace ${NAMESPACE} {\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = R\"EMBED(${text})EMBED\";\n"
  "}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
