// Owns source buffers and their line tables; see SourceManager.h.
#include "support/SourceManager.h"

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

} // namespace keopsc
