// markup_entity(): the entity that HTML, XML and SVG text must use for each of
// the five characters markup gives a meaning (& < > " '), or nullptr for any
// other character. The one table behind the checker's HTML and JUnit reports
// and the tools' SVG charts.
//
// Example:
//   markup_entity('<') == std::string_view("&lt;");  markup_entity('a') == nullptr
#pragma once

namespace echo {

[[nodiscard]] constexpr const char* markup_entity(char c) noexcept {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return nullptr;
  }
}

}  // namespace echo
