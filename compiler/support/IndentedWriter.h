// An indenting text writer through which all generated code goes.
// It knows nothing about C, C++ or CUDA beyond braces.
#pragma once

#include <sstream>
#include <string>

namespace keopsc {

class IndentedWriter {
public:
  /// Writes one line at the current indentation.
  IndentedWriter &line(const std::string &text = "");
  /// Writes text verbatim (may hold several lines).
  IndentedWriter &raw(const std::string &text);

  /// Opens `header {`, indents, and closes with `}` + `trailer` when destroyed.
  class Block {
  public:
    Block(IndentedWriter &writer, std::string trailer)
        : writer_(writer), trailer_(std::move(trailer)) {}
    Block(const Block &) = delete;
    Block &operator=(const Block &) = delete;
    ~Block() {
      --writer_.indent_;
      writer_.line("}" + trailer_);
    }

  private:
    IndentedWriter &writer_;
    std::string trailer_;
  };
  [[nodiscard]] Block block(const std::string &header, std::string trailer = "");

  std::string str() const { return out_.str(); }

private:
  std::ostringstream out_;
  int indent_ = 0;
};

} // namespace keopsc
