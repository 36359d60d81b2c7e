// The encodings an imported file may come in. Spreadsheets on Windows save
// "CSV" as Windows-1252, which is not UTF-8 (what the store holds): such a
// file is refused naming the first line that is not UTF-8, or converted when
// the admin says it is cp1252. Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_TEXT_ENCODING_H_
#define ESTATE_COLLECTOR_ADMIN_TEXT_ENCODING_H_

#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

enum class TextEncoding { kUtf8, kCp1252 };

// The choices of --encoding, as the option table lists them.
const std::vector<std::string>& TextEncodingChoices();

// `bytes` as UTF-8 text. kUtf8: the text itself when it is well-formed, else
// InvalidArgument naming the line of the first bad byte and, when the bytes
// look like Windows-1252, suggesting --encoding cp1252. kCp1252: converted;
// refused when the file is already UTF-8 with non-ASCII text (converting it
// again would garble every accent). UTF-16 (a byte order mark) is refused.
Result<std::string> DecodeText(std::string_view bytes, TextEncoding encoding);

// Windows-1252 bytes as UTF-8.
std::string Cp1252ToUtf8(std::string_view bytes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_TEXT_ENCODING_H_
