// The store's data is the whole inventory of a site (hosts, addresses,
// software, who holds what): readable by its owner only, whoever started
// estated and whatever umask it inherited. These helpers give a directory
// tree the modes the collector wants, 0700 for directories and 0600 for
// files, and say which entries they could not tighten.
#ifndef ESTATE_COLLECTOR_STORE_PRIVATE_DIR_H_
#define ESTATE_COLLECTOR_STORE_PRIVATE_DIR_H_

#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

inline constexpr unsigned kPrivateDirMode = 0700;
inline constexpr unsigned kPrivateFileMode = 0600;

// Creates `dir` (and missing parents) mode 0700 when absent.
Status CreatePrivateDir(const std::string& dir);

// Takes group and other access away from `dir` and everything below it
// (directories 0700 at most, files 0600 at most; sockets and symbolic links
// are left alone: the admin socket is 0660 on purpose). Entries it cannot
// change (owned by someone else) are listed in `not_tightened` when given,
// and are not an error; a tree it cannot read is.
Status MakePrivate(const std::string& dir, std::vector<std::string>* not_tightened = nullptr);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_PRIVATE_DIR_H_
