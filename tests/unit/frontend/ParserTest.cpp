// Unit tests of the frontend: precedence, literals, call shapes, string formulas, diagnostics
// and imports. Diagnostic wording is checked loosely here; the lit tests pin it down.
#include "frontend/Parser.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;

namespace {

/// One parse of `text` as a file, with its diagnostics kept as text.
struct Parse {
  explicit Parse(const std::string &text) {
    bufferId = sources.addBuffer("test.kfl", text);
    file = frontend::parseFile(bufferId, sources, diags);
  }

  /// The body of declaration `index` (a formula, alias or reduction).
  const ast::Expr &body(size_t index = 0) const {
    const ast::Decl &decl = file->decls.at(index);
    if (auto *formula = std::get_if<ast::FormulaDecl>(&decl))
      return *formula->body;
    if (auto *alias = std::get_if<ast::AliasDecl>(&decl))
      return *alias->value;
    return *std::get<ast::ReductionDecl>(decl).body;
  }

  SourceManager sources;
  std::ostringstream errors;
  DiagnosticEngine diags{sources, errors};
  uint32_t bufferId = 0;
  std::optional<ast::File> file;
};

/// The S-expression of `formula f = <expr>;`, or the diagnostics if it does not parse.
std::string parseExpr(const std::string &expr) {
  Parse parse("formula f = " + expr + ";");
  if (!parse.file)
    return "error: " + parse.errors.str();
  return ast::dump(parse.body());
}

void check(const std::string &input, const std::string &expected) {
  EXPECT_EQ(parseExpr(input), expected) << "input: " << input;
}

} // namespace

TEST(Precedence, FollowsPython) {
  check("-x**2", "(- (** x 2))");
  check("-g*f", "(* (- g) f)");
  check("x|y*2", "(| x (* y 2))");
  check("x**-1", "(** x (- 1))");
  check("x**-y**2", "(** x (- (** y 2)))");
  check("2**3**4", "(** 2 (** 3 4))");
  check("a-b-c", "(- (- a b) c)");
  check("a/b*c", "(* (/ a b) c)");
  check("a+b*c-d", "(- (+ a (* b c)) d)");
  check("a < b + c", "(< a (+ b c))");
  check("x|y < 2", "(< (| x y) 2)");
  check("+-x", "(+ (- x))");
  check("(a+b)*c", "(* (+ a b) c)");
}

TEST(Literals, FloatFormsAreFloats) {
  for (const char *text : {"0.5", ".5", "2.", "1e-3", "2.5e+3", "1E5"}) {
    Parse parse(std::string("formula f = ") + text + ";");
    ASSERT_TRUE(parse.file) << text << ": " << parse.errors.str();
    EXPECT_EQ(parse.body().kind, ast::ExprKind::Float) << text;
    EXPECT_EQ(parse.body().text, text);
  }
  Parse integer("formula f = 42;");
  ASSERT_TRUE(integer.file);
  EXPECT_EQ(integer.body().kind, ast::ExprKind::Integer);
  EXPECT_EQ(integer.body().text, "42");
}

TEST(Literals, TuplesAndListsAreLists) {
  check("[4, 7]", "[4 7]");
  check("(4, 7)", "[4 7]");
  check("(4,)", "[4]");
  check("()", "[]");
  check("(4)", "4");
}

TEST(Calls, GenredShape) {
  Parse parse(R"k(reduction r = Genred("Exp(-x)", ["x = Vi(3)", 'y = Vj(3)'],
                                   reduction_op = "Sum", axis = 1, opt_arg = 5);)k");
  ASSERT_TRUE(parse.file) << parse.errors.str();
  const ast::Expr &call = parse.body();
  ASSERT_EQ(call.kind, ast::ExprKind::Call);
  EXPECT_EQ(call.text, "Genred");
  ASSERT_EQ(call.operands.size(), 2u);
  EXPECT_EQ(call.operands[0]->kind, ast::ExprKind::String);
  EXPECT_EQ(call.operands[0]->text, "Exp(-x)");
  ASSERT_EQ(call.operands[1]->kind, ast::ExprKind::List);
  EXPECT_EQ(call.operands[1]->operands[1]->text, "y = Vj(3)");
  ASSERT_EQ(call.keywords.size(), 3u);
  EXPECT_EQ(call.keywords[0].name, "reduction_op");
  EXPECT_EQ(call.keywords[1].name, "axis");
  EXPECT_EQ(call.keywords[2].value->text, "5");
  EXPECT_EQ(call.opRange.begin.col, 15u);
}

TEST(Declarations, AllKindsParse) {
  Parse parse("import \"k.kfl\"; module m; alias x = Vi(3);\n"
              "formula f(u, v) = u; formula g = 1;\n"
              "reduction r(x) = Sum(x, axis = 1) [dtype = float64, backends = [cpu, cuda]];\n"
              "options [dtype = float32];");
  ASSERT_TRUE(parse.file) << parse.errors.str();
  ASSERT_EQ(parse.file->decls.size(), 7u);
  EXPECT_EQ(std::get<ast::ImportDecl>(parse.file->decls[0]).path, "k.kfl");
  EXPECT_TRUE(std::get<ast::FormulaDecl>(parse.file->decls[3]).params.has_value());
  EXPECT_FALSE(std::get<ast::FormulaDecl>(parse.file->decls[4]).params.has_value());
  const auto &reduction = std::get<ast::ReductionDecl>(parse.file->decls[5]);
  ASSERT_EQ(reduction.options.size(), 2u);
  EXPECT_EQ(ast::dump(*reduction.options[1].value), "[cpu cuda]");
}

TEST(Locations, RangesAreOneBasedWithExclusiveEnd) {
  Parse parse("formula f = a + bc;");
  ASSERT_TRUE(parse.file);
  const ast::Expr &sum = parse.body();
  EXPECT_EQ(sum.range.begin.line, 1u);
  EXPECT_EQ(sum.range.begin.col, 13u);
  EXPECT_EQ(sum.range.end.col, 19u);
  EXPECT_EQ(sum.opRange.begin.col, 15u);
  EXPECT_EQ(sum.opRange.end.col, 16u);
  EXPECT_EQ(std::get<ast::FormulaDecl>(parse.file->decls[0]).nameRange.begin.col, 9u);
}

TEST(Strings, EscapesAndContentStart) {
  Parse plain(R"k(formula f = "Exp(x)";)k");
  ASSERT_TRUE(plain.file);
  ASSERT_TRUE(plain.body().contentStart.has_value());
  EXPECT_EQ(plain.body().contentStart->col, 14u);

  Parse escaped(R"k(formula f = "a\"b\\c";)k");
  ASSERT_TRUE(escaped.file);
  EXPECT_EQ(escaped.body().text, "a\"b\\c");
  EXPECT_FALSE(escaped.body().contentStart.has_value());
}

TEST(Diagnostics, ChainedComparisonIsAnError) {
  std::string result = parseExpr("a < b < c");
  EXPECT_NE(result.find("test.kfl:1:19: error: comparisons do not chain"), std::string::npos)
      << result;
}

TEST(Diagnostics, RejectedOperatorsHintAtTheFunctionForm) {
  EXPECT_NE(parseExpr("x % 2").find("operator '%' is not part of the formula language; use Mod("),
            std::string::npos);
  EXPECT_NE(parseExpr("a @ b").find("use TensorDot or MatVecMult"), std::string::npos);
  EXPECT_NE(parseExpr("a ^ b").find("use ** or Pow"), std::string::npos);
  EXPECT_NE(parseExpr("a and b").find("operator 'and'"), std::string::npos);
  EXPECT_NE(parseExpr("not a").find("operator 'not'"), std::string::npos);
  EXPECT_NE(parseExpr("~a").find("operator '~'"), std::string::npos);
  EXPECT_NE(parseExpr("a << 2").find("operator '<<'"), std::string::npos);
  // In a .kfl file `//` starts a comment, so the declaration loses its ';'.
  EXPECT_NE(parseExpr("a // 2").find("expected ';'"), std::string::npos);
}

TEST(Diagnostics, MissingSemicolonPointsAfterTheDeclaration) {
  Parse parse("alias x = Vi(3)\nalias y = Vj(3);");
  EXPECT_FALSE(parse.file);
  EXPECT_NE(parse.errors.str().find("test.kfl:1:16: error: expected ';' after alias declaration"),
            std::string::npos)
      << parse.errors.str();
}

TEST(Diagnostics, ByteOrderMarkAndCrLfAreWhitespace) {
  Parse parse("\xEF\xBB\xBF"
              "alias x = Vi(3);\r\nformula f = x;\r\n");
  ASSERT_TRUE(parse.file) << parse.errors.str();
  EXPECT_EQ(parse.body(1).range.begin.line, 2u);
}

TEST(Diagnostics, GarbageNeverCrashes) {
  std::string garbage("formula f = \x01\x02\xff\xfe\0\"\\", 20);
  for (char c = 1; c < 127; ++c)
    garbage += c;
  Parse parse(garbage);
  EXPECT_FALSE(parse.file);
  EXPECT_TRUE(parse.diags.hasErrors());
}

TEST(Diagnostics, DeepNestingIsAnErrorNotACrash) {
  Parse brackets("formula f = " + std::string(5000, '(') + "x" + std::string(5000, ')') + ";");
  EXPECT_FALSE(brackets.file);
  EXPECT_NE(brackets.errors.str().find("nested too deeply"), std::string::npos);
  Parse unary("formula f = " + std::string(100000, '-') + "x;");
  EXPECT_FALSE(unary.file);
  std::string chain = "formula f = x";
  for (int i = 0; i < 100000; ++i)
    chain += "**x";
  Parse power(chain + ";");
  EXPECT_FALSE(power.file);
}

TEST(StringFormulas, LocationsMapIntoTheFile) {
  Parse parse(R"k(reduction r = Genred("Exp(-y) + x % 2", ["x = Vi(3)"]);)k");
  ASSERT_TRUE(parse.file) << parse.errors.str();
  const ast::Expr &formula = *parse.body().operands[0];
  const ast::Expr &alias = *parse.body().operands[1]->operands[0];

  std::string name;
  SourceRange nameRange;
  ast::ExprPtr value = frontend::parseExprString(alias, /*allowAliasForm=*/true, &name, &nameRange,
                                                 parse.sources, parse.diags);
  ASSERT_TRUE(value) << parse.errors.str();
  EXPECT_EQ(name, "x");
  EXPECT_EQ(nameRange.begin.col, 43u);
  EXPECT_EQ(ast::dump(*value), "(Vi 3)");
  EXPECT_EQ(value->range.begin.col, 47u);

  // In a formula string `//` and `%` are operators, and the caret lands inside the string.
  ast::ExprPtr bad =
      frontend::parseExprString(formula, false, nullptr, nullptr, parse.sources, parse.diags);
  EXPECT_FALSE(bad);
  EXPECT_NE(parse.errors.str().find("test.kfl:1:35: error: operator '%'"), std::string::npos)
      << parse.errors.str();
}

TEST(StringFormulas, DoubleSlashIsRejectedNotAComment) {
  Parse parse(R"k(formula f = "x // 2";)k");
  ASSERT_TRUE(parse.file);
  EXPECT_FALSE(
      frontend::parseExprString(parse.body(), false, nullptr, nullptr, parse.sources, parse.diags));
  EXPECT_NE(parse.errors.str().find("1:16: error: operator '//' is not part of the formula "
                                    "language; use Floor(f / g)"),
            std::string::npos)
      << parse.errors.str();
}

TEST(StringFormulas, EscapedStringsMapToTheLiteral) {
  Parse parse(R"k(formula f = "x \\ 2";)k");
  ASSERT_TRUE(parse.file);
  EXPECT_FALSE(
      frontend::parseExprString(parse.body(), false, nullptr, nullptr, parse.sources, parse.diags));
  EXPECT_NE(parse.errors.str().find("test.kfl:1:13: error:"), std::string::npos)
      << parse.errors.str();
}

TEST(StringFormulas, AliasFormIsRejectedInFormulas) {
  Parse parse(R"k(formula f = "x = Vi(3)";)k");
  ASSERT_TRUE(parse.file);
  EXPECT_FALSE(
      frontend::parseExprString(parse.body(), false, nullptr, nullptr, parse.sources, parse.diags));
  EXPECT_TRUE(parse.diags.hasErrors());
}

namespace {

/// A scratch directory of .kfl files for import tests.
class ImportTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("keopsc-import-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "lib");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string &name, const std::string &text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::optional<ast::Program> load(const std::string &path,
                                   const std::vector<std::string> &includes = {}) {
    return frontend::loadProgram(path, includes, sources_, diags_);
  }

  std::filesystem::path dir_;
  SourceManager sources_;
  std::ostringstream errors_;
  DiagnosticEngine diags_{sources_, errors_};
};

} // namespace

TEST_F(ImportTest, DependenciesComeFirstAndEachFileOnce) {
  write("lib/k.kfl", "alias k = Pm(1);");
  write("b.kfl", "import \"k.kfl\"; alias b = Vj(1);");
  std::string main = write("main.kfl", "import \"b.kfl\";\nimport \"k.kfl\";\nalias x = Vi(1);");
  auto program = load(main, {(dir_ / "lib").string()});
  ASSERT_TRUE(program) << errors_.str();
  ASSERT_EQ(program->files.size(), 3u);
  EXPECT_NE(program->files[0].path.find("k.kfl"), std::string::npos);
  EXPECT_NE(program->files[1].path.find("b.kfl"), std::string::npos);
  EXPECT_EQ(program->files[2].path, main);
}

TEST_F(ImportTest, CycleIsAnError) {
  write("a.kfl", "import \"b.kfl\";");
  write("b.kfl", "import \"a.kfl\";");
  EXPECT_FALSE(load((dir_ / "a.kfl").string()));
  EXPECT_NE(errors_.str().find("b.kfl:1:8: error: import cycle: 'a.kfl' imports itself"),
            std::string::npos)
      << errors_.str();
}

TEST_F(ImportTest, MissingImportListsSearchedDirectories) {
  std::string main = write("main.kfl", "alias x = Vi(1);\nimport \"nope.kfl\";");
  EXPECT_FALSE(load(main, {"/no/such/dir"}));
  EXPECT_NE(errors_.str().find("main.kfl:2:8: error: cannot find import 'nope.kfl' (searched: " +
                               dir_.string() + ", /no/such/dir)"),
            std::string::npos)
      << errors_.str();
}

TEST_F(ImportTest, UnreadableMainFileHasNoLocation) {
  EXPECT_FALSE(load((dir_ / "missing.kfl").string()));
  EXPECT_EQ(errors_.str().rfind("keopsc: error: cannot open '", 0), 0u) << errors_.str();
}
