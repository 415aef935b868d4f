# Every notation read right, but the range check excludes its ends (50 < h < 84) where the
# contract says "50 to 84 inches (both included)": a height of exactly 50 or 84 inches becomes
# NaN. The hidden rows hold a height of exactly 50 inches: test-height-impossible (1 point)
# says both ends are included, and the clean table's values lose 1 point.
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
            if match[2] == "cm" or (match[2] is None and value >= 100):
                value = value / 2.54
        else:
            match = feet_inches.fullmatch(text)
            if match is None:
                return np.nan
            rest = float(match[2]) if match[2] else 0.0
            if rest >= 12:
                return np.nan
            value = 12 * int(match[1]) + rest
        return value if 50 < value < 84 else np.nan

    return values.map(inches).astype(float)
