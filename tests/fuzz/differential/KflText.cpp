// KflText.cpp: formulas as .kfl text (KflText.h).
#include "KflText.h"

#include "ir/ListArgs.h"
#include "ir/OpInfo.h"

#include <cstdio>
#include <string>

namespace keopsc::difffuzz {

using ir::Formula;
using ir::OpKind;

namespace {

/// A constant of dimension 1: IntCst(n), RatCst(p, q), or a decimal for an inexact value.
std::string scalarConstant(const ir::Constant &c) {
  if (c.isInteger())
    return "IntCst(" + std::to_string(c.num()) + ")";
  if (c.exact())
    return "RatCst(" + std::to_string(c.num()) + ", " + std::to_string(c.den()) + ")";
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", c.value());
  return text;
}

std::string infix(const char *op, const std::string &a, const std::string &b) {
  return "(" + a + " " + op + " " + b + ")";
}

} // namespace

std::string kflText(const Formula *f, const std::vector<std::string> &aliases) {
  switch (f->kind()) {
  case OpKind::Var:
    return aliases.at(static_cast<size_t>(f->varPos()));
  case OpKind::Const: {
    const std::string value = scalarConstant(f->constant());
    // A vector constant: the scalar broadcast over Zero(d).
    return f->dim() == 1 ? value : "(" + value + " + Zero(" + std::to_string(f->dim()) + "))";
  }
  case OpKind::Add:
    return infix("+", kflText(f->child(0), aliases), kflText(f->child(1), aliases));
  case OpKind::Subtract:
    return infix("-", kflText(f->child(0), aliases), kflText(f->child(1), aliases));
  case OpKind::Mult:
    return infix("*", kflText(f->child(0), aliases), kflText(f->child(1), aliases));
  case OpKind::Divide:
    return infix("/", kflText(f->child(0), aliases), kflText(f->child(1), aliases));
  case OpKind::Minus:
    return "(-" + kflText(f->child(0), aliases) + ")";
  default:
    break;
  }
  const ir::OpInfo &info = ir::opInfo(f->kind());
  std::string text = std::string(info.name) + "(";
  for (size_t k = 0; k < f->children().size(); ++k)
    text += (k ? ", " : "") + kflText(f->child(k), aliases);
  if (info.lists != ir::ListSchema::NoLists)
    for (const ir::IntList &list : ir::decodeLists(f->ints()))
      text += ", " + ir::listText(list);
  else
    for (int64_t n : f->ints())
      text += ", " + std::to_string(n);
  return text + ")";
}

} // namespace keopsc::difffuzz
