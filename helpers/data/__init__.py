"""The ledger's files: what a row is, how it is read and validated, and the views every notebook shares."""

from helpers.data.schema import Ledger, LedgerError, as_of, as_of_text, load_ledger

__all__ = ["Ledger", "LedgerError", "as_of", "as_of_text", "load_ledger"]
