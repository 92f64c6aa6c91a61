// Package verdict is the analyzer's third stage: Decide turns an exchange's
// signals into a Verdict (kind, confidence, vendor, scheme, cause and the
// evidence behind them) and Fixes chooses what to do about it, from the
// rules' own fixes, the vendor's file and knowledge's generic fixes. It
// never sees headers or bodies: only signals.
package verdict
