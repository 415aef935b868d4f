# Converts every notation right but never checks the range: 0.7, 6000 or 8' come out as
# heights. Loses the impossible-values test (1 point) and the clean table's values (1 point).
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
            return value / 2.54 if match[2] == "cm" or (match[2] is None and value >= 100) else value
        match = feet_inches.fullmatch(text)
        if match is None:
            return np.nan
        rest = float(match[2]) if match[2] else 0.0
        return 12 * int(match[1]) + rest if rest < 12 else np.nan

    return values.map(inches).astype(float)
