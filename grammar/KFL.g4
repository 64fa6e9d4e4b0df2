// The grammar of the KFL language: .kfl declarations and KeOps formula expressions (SPEC.md §2).
// It only recognises text; meaning, precedence folding and diagnostics live in compiler/frontend.
grammar KFL;

// The same lexer reads .kfl files and the contents of Genred strings. Comments go to the hidden
// channel rather than being skipped: in a formula string `//` is Python's floor division, and
// the frontend reports comment tokens there as the rejected operator. (A lexer predicate would
// do it too, but leaks in ANTLR's 4.9 C++ runtime.)

// ---------------------------------------------------------------------------------------------
// Entry rules

file: decl* EOF;

/// The contents of a Genred formula string.
formulaString: expr EOF;

/// The contents of an alias string: "x = Vi(3)", "Vi(0, 3)".
aliasString: (ident ASSIGN)? expr EOF;

// ---------------------------------------------------------------------------------------------
// Declarations

decl
    : importDecl
    | moduleDecl
    | aliasDecl
    | formulaDecl
    | reductionDecl
    | optionsDecl
    ;

importDecl: IMPORT STRING SEMI;
moduleDecl: MODULE ident SEMI;
aliasDecl: ALIAS ident ASSIGN expr SEMI;
formulaDecl: FORMULA ident paramList? ASSIGN expr SEMI;
reductionDecl: REDUCTION ident paramList? ASSIGN expr optionList? SEMI;
optionsDecl: OPTIONS optionList SEMI;

paramList: LPAREN (ident (COMMA ident)*)? RPAREN;
optionList: LBRACK (option (COMMA option)* COMMA?)? RBRACK;
option: ident ASSIGN expr;

// ---------------------------------------------------------------------------------------------
// Expressions, Python precedence from lowest to highest. Every level is a flat loop, so only
// brackets make the parser recurse (the frontend caps their depth). Operators that Python has
// but KFL rejects (and, or, not, ^, &, <<, >>, %, @, ~; `//` see above) are parsed at their Python level so
// that the AST builder can point at them with a hint instead of a bare syntax error.

expr: comparison (logicalOp comparison)*;
logicalOp: AND | OR;

// Comparisons parse as a chain; the builder rejects chains of more than one.
comparison: pipe (compareOp pipe)*;
compareOp: LT | LE | GT | GE | EQ | NE;

pipe: bitwise (PIPE bitwise)*;

bitwise: arith (bitwiseOp arith)*;
bitwiseOp: CARET | AMP | LSHIFT | RSHIFT;

arith: term (arithOp term)*;
arithOp: PLUS | MINUS;

term: factor (termOp factor)*;
termOp: STAR | SLASH | PERCENT | AT;

// Unary operators bind looser than `**`: -x**2 is -(x**2).
factor: unaryOp* power;
unaryOp: MINUS | PLUS | TILDE | NOT;

// `**` is right-associative and its exponent may carry unary operators: x**-y**2 is
// x**(-(y**2)). The builder folds the tails from the right.
power: atom powerTail*;
powerTail: POW unaryOp* atom;

atom
    : INT                                                    # intAtom
    | FLOAT                                                  # floatAtom
    | STRING                                                 # stringAtom
    | ident LPAREN (argument (COMMA argument)* COMMA?)? RPAREN  # callAtom
    | ident                                                  # nameAtom
    | LPAREN (expr (COMMA expr)* COMMA?)? RPAREN             # parenAtom
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK             # listAtom
    ;

argument: (ident ASSIGN)? expr;

// Declaration keywords are reserved: were they names, ANTLR's recovery would read the next
// declaration as the rest of a broken one.
ident: ID;

// ---------------------------------------------------------------------------------------------
// Tokens

IMPORT: 'import';
MODULE: 'module';
ALIAS: 'alias';
FORMULA: 'formula';
REDUCTION: 'reduction';
OPTIONS: 'options';
AND: 'and';
OR: 'or';
NOT: 'not';

INT: DIGIT+;
FLOAT
    : DIGIT+ '.' DIGIT* EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;
ID: [A-Za-z_] [A-Za-z0-9_]*;

STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    | '\'' (~['\\\r\n] | '\\' ~[\r\n])* '\''
    ;
// Matched only when no closing quote follows on the line (a complete STRING is longer), so the
// error listener can say what is wrong instead of "unexpected character".
UNTERMINATED_STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])*
    | '\'' (~['\\\r\n] | '\\' ~[\r\n])*
    ;

LINE_COMMENT: '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
// A `/*` without `*/`: this cannot contain `*/`, so it never outmatches BLOCK_COMMENT.
UNTERMINATED_COMMENT: '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
WS: [ \t\r\n\f]+ -> skip;
// Inputs are read byte by byte (see frontend/Parser.cpp), so a UTF-8 BOM is these three.
BYTE_ORDER_MARK: '\u00EF\u00BB\u00BF' -> skip;

POW: '**';
LSHIFT: '<<';
RSHIFT: '>>';
LE: '<=';
GE: '>=';
EQ: '==';
NE: '!=';
LT: '<';
GT: '>';
ASSIGN: '=';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
AT: '@';
AMP: '&';
CARET: '^';
TILDE: '~';
PIPE: '|';
LPAREN: '(';
RPAREN: ')';
LBRACK: '[';
RBRACK: ']';
COMMA: ',';
SEMI: ';';

// Anything else becomes a token the parser never expects, so the lexer itself never reports;
// the error listener words the message ("unexpected character").
ERROR_CHAR: .;

fragment DIGIT: [0-9];
fragment EXPONENT: [eE] [+-]? DIGIT+;
