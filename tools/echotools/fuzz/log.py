"""fuzz-overnight's progress lines, with the time of day: "[04:12:09] message".

Example:
    log("address_fuzzer: 0.5/1.0 min")
"""
import datetime


def log(message):
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)
