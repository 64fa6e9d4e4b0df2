// Owns source buffers and their line tables; see SourceManager.h.
#include "support/SourceManager.h"

#include <algorithm>

namespace keopsc {

uint32_t SourceManager::addBuffer(std::string name, std::string text) {
  Buffer buffer{std::move(name), std::move(text), {0}};
  for (size_t i = 0; i < buffer.text.size(); ++i)
    if (buffer.text[i] == '\n')
      buffer.lineStarts.push_back(i + 1);
  buffers_.push_back(std::move(buffer));
  return static_cast<uint32_t>(buffers_.size());
}

std::string_view SourceManager::lineText(uint32_t file, uint32_t line) const {
  if (file == 0 || file > buffers_.size())
    return {};
  const Buffer &buffer = buffers_[file - 1];
  if (line == 0 || line > buffer.lineStarts.size())
    return {};
  size_t begin = buffer.lineStarts[line - 1];
  size_t end = buffer.text.find('\n', begin);
  if (end == std::string::npos)
    end = buffer.text.size();
  if (end > begin && buffer.text[end - 1] == '\r')
    --end;
  return std::string_view(buffer.text).substr(begin, end - begin);
}

std::string_view SourceManager::rangeText(SourceRange range) const {
  uint32_t file = range.begin.file;
  if (file == 0 || file > buffers_.size() || range.end.file != file)
    return {};
  const Buffer &buffer = buffers_[file - 1];
  auto offset = [&](SourceLoc loc) -> size_t {
    if (loc.line == 0 || loc.line > buffer.lineStarts.size() || loc.col == 0)
      return std::string::npos;
    return std::min(buffer.text.size(), buffer.lineStarts[loc.line - 1] + loc.col - 1);
  };
  size_t begin = offset(range.begin), end = offset(range.end);
  if (begin == std::string::npos || end == std::string::npos || end < begin)
    return {};
  return std::string_view(buffer.text).substr(begin, end - begin);
}

} // namespace keopsc
