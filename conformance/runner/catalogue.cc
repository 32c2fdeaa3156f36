// catalogue(): the cases of conformance/cases, in their stable order.
#include "conformance/cases/catalogue.h"

#include "conformance/runner/runner.h"

namespace echo::conformance {

const std::vector<Case>& catalogue() {
  static const std::vector<Case> cases = all_cases();
  return cases;
}

}  // namespace echo::conformance
