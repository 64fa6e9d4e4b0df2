// Drives ANTLR over .kfl buffers and formula strings, and resolves imports (see Parser.h).
// Wording of syntax errors is SyntaxErrorListener's; building the AST is AstBuilder's.
#include "frontend/Parser.h"

#include "frontend/AstBuilder.h"
#include "frontend/SyntaxErrorListener.h"
#include "kfl/KFLLexer.h"
#include "kfl/KFLParser.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace keopsc::frontend {

namespace fs = std::filesystem;

namespace {

/// Brackets deeper than this are rejected before parsing: each level costs the recursive
/// descent parser about ten stack frames.
constexpr unsigned kMaxBracketDepth = 256;

/// Feeds ANTLR one symbol per byte. ANTLR's own stream decodes UTF-8 (and throws on invalid
/// bytes); bytes keep token positions equal to SourceLoc's byte columns and never fail.
class ByteStream : public antlr4::ANTLRInputStream {
public:
  explicit ByteStream(std::string_view bytes) {
    _data.clear();
    _data.reserve(bytes.size());
    for (char byte : bytes)
      _data.push_back(static_cast<unsigned char>(byte));
    p = 0;
  }
};

/// One ANTLR pipeline over one input, with keopsc's listener in place of the console one.
struct ParseSession {
  ParseSession(std::string_view text, const TokenLocator &locator, DiagnosticEngine &diags,
               bool inString)
      : input(text), lexer(&input), tokens(&lexer), parser(&tokens),
        listener(diags, locator, text, inString), locator_(locator), inString_(inString) {
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
  }

  /// Lexes everything and rejects, before the parser runs: absurd bracket nesting (the parser
  /// would recurse into it) and, in formula strings, comment tokens (`//` is floor division
  /// there).
  bool checkTokens() {
    tokens.fill();
    unsigned depth = 0;
    for (antlr4::Token *token : tokens.getTokens()) {
      size_t type = token->getType();
      if (type == kfl::KFLLexer::LPAREN || type == kfl::KFLLexer::LBRACK) {
        if (++depth > kMaxBracketDepth) {
          listener.report(DiagId::NestingTooDeep, locator_.range(token),
                          {std::to_string(kMaxBracketDepth)});
          return false;
        }
      } else if ((type == kfl::KFLLexer::RPAREN || type == kfl::KFLLexer::RBRACK) && depth > 0) {
        --depth;
      } else if (inString_ && !checkStringToken(*token)) {
        return false;
      }
    }
    return true;
  }

  bool checkStringToken(antlr4::Token &token) {
    size_t type = token.getType();
    SourceLoc at = locator_.loc(token.getLine(), token.getCharPositionInLine());
    if (type == kfl::KFLLexer::LINE_COMMENT) {
      listener.report(DiagId::RejectedOperator,
                      locator_.exact() ? SourceRange{at, {at.file, at.line, at.col + 2}}
                                       : locator_.range(&token),
                      {"//", rejectedOperatorHint(type)});
      return false;
    }
    if (type == kfl::KFLLexer::BLOCK_COMMENT || type == kfl::KFLLexer::UNTERMINATED_COMMENT) {
      listener.report(DiagId::SyntaxError, SourceRange::at(at),
                      {"comments are not allowed in a formula string"});
      return false;
    }
    return true;
  }

  ByteStream input;
  kfl::KFLLexer lexer;
  antlr4::CommonTokenStream tokens;
  kfl::KFLParser parser;
  SyntaxErrorListener listener;
  TokenLocator locator_;
  bool inString_;
};

std::optional<ast::File> parseFileUnguarded(uint32_t bufferId, const SourceManager &sources,
                                            DiagnosticEngine &diags) {
  const std::string &text = sources.text(bufferId);
  TokenLocator locator = TokenLocator::forBuffer(bufferId);
  ParseSession session(text, locator, diags, /*inString=*/false);
  if (!session.checkTokens())
    return std::nullopt;
  kfl::KFLParser::FileContext *tree = session.parser.file();
  if (session.listener.errorCount() != 0 || !tree)
    return std::nullopt;
  AstBuilder builder(text, locator, diags);
  ast::File file;
  file.bufferId = bufferId;
  file.path = sources.name(bufferId);
  file.decls = builder.buildFile(*tree);
  if (builder.failed())
    return std::nullopt;
  return file;
}

ast::ExprPtr parseExprStringUnguarded(const ast::Expr &literal, bool allowAliasForm,
                                      std::string *aliasName, SourceRange *aliasNameRange,
                                      DiagnosticEngine &diags) {
  TokenLocator locator = literal.contentStart ? TokenLocator::forString(*literal.contentStart)
                                              : TokenLocator::fixed(literal.range);
  ParseSession session(literal.text, locator, diags, /*inString=*/true);
  if (!session.checkTokens())
    return nullptr;
  AstBuilder builder(literal.text, locator, diags);
  ast::ExprPtr result;
  if (allowAliasForm) {
    kfl::KFLParser::AliasStringContext *tree = session.parser.aliasString();
    if (session.listener.errorCount() != 0 || !tree)
      return nullptr;
    result = builder.buildAliasString(*tree, aliasName, aliasNameRange);
  } else {
    kfl::KFLParser::FormulaStringContext *tree = session.parser.formulaString();
    if (session.listener.errorCount() != 0 || !tree)
      return nullptr;
    result = builder.buildFormulaString(*tree);
  }
  return builder.failed() ? nullptr : std::move(result);
}

/// Last line of defence for "never throw out of the API": ANTLR reports through exceptions
/// internally, and memory can run out on absurd inputs.
void reportParserFailure(DiagnosticEngine &diags, SourceRange at, const char *what) {
  diags.report(DiagId::SyntaxError, at, {std::string("the parser gave up: ") + what});
}

} // namespace

std::optional<ast::File> parseFile(uint32_t bufferId, const SourceManager &sources,
                                   DiagnosticEngine &diags) {
  SourceRange start = SourceRange::at({bufferId, 1, 1});
  try {
    return parseFileUnguarded(bufferId, sources, diags);
  } catch (const std::exception &e) {
    reportParserFailure(diags, start, e.what());
  } catch (...) {
    reportParserFailure(diags, start, "unknown exception");
  }
  return std::nullopt;
}

ast::ExprPtr parseExprString(const ast::Expr &stringLiteral, bool allowAliasForm,
                             std::string *aliasName, SourceRange *aliasNameRange,
                             const SourceManager & /*sources*/, DiagnosticEngine &diags) {
  if (aliasName)
    aliasName->clear();
  if (aliasNameRange)
    *aliasNameRange = {};
  try {
    return parseExprStringUnguarded(stringLiteral, allowAliasForm, aliasName, aliasNameRange,
                                    diags);
  } catch (const std::exception &e) {
    reportParserFailure(diags, stringLiteral.range, e.what());
  } catch (...) {
    reportParserFailure(diags, stringLiteral.range, "unknown exception");
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Imports

namespace {

/// Reads a whole file; on failure returns false and says why in `why`.
bool readFile(const fs::path &path, std::string &text, std::string &why) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    why = std::strerror(EISDIR);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno != 0 ? errno : ENOENT);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    why = std::strerror(errno != 0 ? errno : EIO);
    return false;
  }
  text = buffer.str();
  return true;
}

/// Identity of a file for "each file once" and cycles, whatever path reached it.
std::string fileKey(const fs::path &path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec)
    canonical = fs::absolute(path, ec).lexically_normal();
  return canonical.string();
}

class ProgramLoader {
public:
  ProgramLoader(const std::vector<std::string> &includeDirs, SourceManager &sources,
                DiagnosticEngine &diags)
      : includeDirs_(includeDirs), sources_(sources), diags_(diags) {}

  void loadMain(const std::string &path) {
    std::string text, why;
    if (!readFile(path, text, why)) {
      diags_.report(DiagId::CannotOpenFile, {path, why});
      failed_ = true;
      return;
    }
    load(path, std::move(text));
  }

  std::optional<ast::Program> take() {
    if (failed_)
      return std::nullopt;
    return ast::Program{std::move(files_)};
  }

private:
  enum class State { Loading, Done };

  /// Parses `path`, loads its imports, then appends it: dependencies come first.
  void load(const fs::path &path, std::string text) {
    std::string key = fileKey(path);
    states_[key] = State::Loading;
    uint32_t bufferId = sources_.addBuffer(path.string(), std::move(text));
    std::optional<ast::File> file = parseFile(bufferId, sources_, diags_);
    if (!file) {
      failed_ = true;
      states_[key] = State::Done;
      return;
    }
    for (const ast::Decl &decl : file->decls)
      if (const auto *import = std::get_if<ast::ImportDecl>(&decl))
        loadImport(*import, path.parent_path());
    states_[key] = State::Done;
    files_.push_back(std::move(*file));
  }

  void loadImport(const ast::ImportDecl &import, const fs::path &fromDir) {
    std::optional<fs::path> found = resolve(import, fromDir);
    if (!found)
      return;
    auto state = states_.find(fileKey(*found));
    if (state != states_.end()) {
      if (state->second == State::Loading) {
        diags_.report(DiagId::ImportCycle, import.range, {import.path});
        failed_ = true;
      }
      return; // loaded already: each file once
    }
    std::string text, why;
    if (!readFile(*found, text, why)) {
      diags_.report(DiagId::CannotOpenFile, import.range, {found->string(), why});
      failed_ = true;
      return;
    }
    load(*found, std::move(text));
  }

  /// The importing file's directory first, then the -I directories in order.
  std::optional<fs::path> resolve(const ast::ImportDecl &import, const fs::path &fromDir) {
    fs::path relative(import.path);
    std::vector<fs::path> dirs;
    if (relative.is_absolute())
      dirs.push_back({});
    else
      dirs.push_back(fromDir);
    if (!relative.is_absolute())
      for (const std::string &dir : includeDirs_)
        dirs.push_back(dir);
    std::string searched;
    for (const fs::path &dir : dirs) {
      fs::path candidate = (dir / relative).lexically_normal();
      std::error_code ec;
      if (!import.path.empty() && fs::is_regular_file(candidate, ec))
        return candidate;
      if (!searched.empty())
        searched += ", ";
      searched += dir.empty() ? "." : dir.string();
    }
    diags_.report(DiagId::ImportNotFound, import.range, {import.path, searched});
    failed_ = true;
    return std::nullopt;
  }

  const std::vector<std::string> &includeDirs_;
  SourceManager &sources_;
  DiagnosticEngine &diags_;
  std::map<std::string, State> states_;
  std::vector<ast::File> files_;
  bool failed_ = false;
};

} // namespace

std::optional<ast::Program> loadProgram(const std::string &path,
                                        const std::vector<std::string> &includeDirs,
                                        SourceManager &sources, DiagnosticEngine &diags) {
  try {
    ProgramLoader loader(includeDirs, sources, diags);
    loader.loadMain(path);
    return loader.take();
  } catch (const std::exception &e) {
    diags.report(DiagId::CannotOpenFile, {path, e.what()});
  }
  return std::nullopt;
}

} // namespace keopsc::frontend
