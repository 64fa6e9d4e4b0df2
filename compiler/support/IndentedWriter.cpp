// Indenting text writer; see IndentedWriter.h.
#include "support/IndentedWriter.h"

namespace keopsc {

IndentedWriter &IndentedWriter::line(const std::string &text) {
  if (!text.empty())
    out_ << std::string(static_cast<size_t>(indent_) * 2, ' ') << text;
  out_ << '\n';
  return *this;
}

IndentedWriter &IndentedWriter::raw(const std::string &text) {
  out_ << text;
  return *this;
}

IndentedWriter::Block IndentedWriter::block(const std::string &header, std::string trailer) {
  line(header.empty() ? "{" : header + " {");
  ++indent_;
  return Block(*this, std::move(trailer));
}

} // namespace keopsc
