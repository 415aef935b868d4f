# Takes every plain number as inches, as the form asked, ignoring the contract's rule that a
# plain number of 100 or more is in centimetres: 170 becomes an impossible 170 inches (NaN)
# instead of 66.9. One notation of three wrong (1 of the 3 unit points) and the clean table's
# values (1 point).
# expect: 11
# base: reference
# %% cell: height
def parse_height(values):
    number = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|in|inch|inches|\")?")
    feet_inches = re.compile(
        r"(\d+)\s*(?:'|ft|feet|foot)\s*(?:and\s*)?(?:(\d+(?:\.\d+)?)\s*(?:\"|''|in|inch|inches)?)?")

    def inches(text):
        if not isinstance(text, str):
            return np.nan
        text = text.strip().lower()
        match = number.fullmatch(text)
        if match:
            value = float(match[1])
            if match[2] == "cm":
                value = value / 2.54
        else:
            match = feet_inches.fullmatch(text)
            if match is None:
                return np.nan
            rest = float(match[2]) if match[2] else 0.0
            if rest >= 12:
                return np.nan
            value = 12 * int(match[1]) + rest
        return value if 50 <= value <= 84 else np.nan

    return values.map(inches).astype(float)
