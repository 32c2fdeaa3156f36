"""Unit tests of echotools' pure parts. Run from tools/:
    python3 -B -m unittest discover -s echotools/tests -t .
(ctest: PythonTools.UnitTests, label python_tools_test)."""
