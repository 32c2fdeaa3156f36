#include "conformance/report/escape.h"

#include <gtest/gtest.h>

namespace echo::conformance::report {
namespace {

TEST(ValidUtf8, KeepsValidTextIncludingControlsAndMultibyte) {
  EXPECT_EQ(valid_utf8("plain\n\t\x01 é € 𝄞"), "plain\n\t\x01 é € 𝄞");
}

TEST(ValidUtf8, SpellsOutEveryByteOfInvalidSequences) {
  EXPECT_EQ(valid_utf8("a\xff"), "a\\xff");
  EXPECT_EQ(valid_utf8("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // surrogate U+D800
  EXPECT_EQ(valid_utf8("\xe2\x82"), "\\xe2\\x82");                    // truncated
  EXPECT_EQ(valid_utf8("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(Printable, SpellsOutTerminalEscapesAndC1Controls) {
  EXPECT_EQ(printable("a\x1b[31mb\x7f", Lines::kKeep), "a\\x1b[31mb\\x7f");
  EXPECT_EQ(printable("\xc2\x9b", Lines::kKeep), "\\xc2\\x9b");           // U+009B, CSI
  EXPECT_EQ(printable("\xef\xbf\xbe", Lines::kKeep), "\\xef\\xbf\\xbe");  // U+FFFE
}

TEST(Printable, KeepsOrFoldsLineBreaksAsAsked) {
  EXPECT_EQ(printable("a\nb\tc\rd", Lines::kKeep), "a\nb\tc\\x0dd");
  EXPECT_EQ(printable("a\nb\tc", Lines::kFold), "a\\x0ab\\x09c");
}

TEST(MarkupText, EscapesAllFiveMarkupCharacters) {
  EXPECT_EQ(markup_text("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(MarkupAttribute, KeepsLineBreaksAsCharacterReferences) {
  EXPECT_EQ(markup_attribute("a\nb\tc<"), "a&#10;b&#9;c&lt;");
}

TEST(FirstLine, StopsAtTheLineBreak) { EXPECT_EQ(first_line("one\ntwo", 80), "one"); }

TEST(FirstLine, CutsLongLinesOnCharacterBoundaries) {
  EXPECT_EQ(first_line("ééééé", 3), "ééé…");
  EXPECT_EQ(first_line("abc", 3), "abc");
}

}  // namespace
}  // namespace echo::conformance::report
