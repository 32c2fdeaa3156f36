import unittest

from echotools.fuzz.targets import known_targets, normalise, parse_targets, short_name

KNOWN = ["address_fuzzer", "probe_record_fuzzer", "ring_buffer_fuzzer"]


class TargetNamesTest(unittest.TestCase):
    def test_both_spellings_name_the_same_target(self):
        self.assertEqual(normalise("address"), "address_fuzzer")
        self.assertEqual(normalise("address_fuzzer"), "address_fuzzer")
        self.assertEqual(short_name("probe_record_fuzzer"), "probe_record")

    def test_parses_a_list_in_the_order_given_each_once(self):
        self.assertEqual(parse_targets("probe_record,address_fuzzer,address", KNOWN),
                         ["probe_record_fuzzer", "address_fuzzer"])
        self.assertEqual(parse_targets(" ring_buffer , ", KNOWN), ["ring_buffer_fuzzer"])

    def test_no_list_means_every_target(self):
        self.assertEqual(parse_targets(None, KNOWN), KNOWN)
        self.assertEqual(parse_targets("", KNOWN), KNOWN)

    def test_an_unknown_target_is_named_with_the_known_ones(self):
        with self.assertRaises(ValueError) as caught:
            parse_targets("address,adress", KNOWN)
        self.assertEqual(str(caught.exception), "unknown target 'adress' (known: address, "
                         "probe_record, ring_buffer; the _fuzzer suffix is optional)")

    def test_a_list_of_nothing_is_refused(self):
        with self.assertRaisesRegex(ValueError, "no target in --targets ','"):
            parse_targets(",", KNOWN)

    def test_the_checkout_targets(self):
        known = known_targets()
        self.assertIn("address_fuzzer", known)
        self.assertTrue(all(name.endswith("_fuzzer") for name in known))
        self.assertEqual(known, sorted(known))


if __name__ == "__main__":
    unittest.main()
