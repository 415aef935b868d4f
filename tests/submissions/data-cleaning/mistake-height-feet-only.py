# Reads feet and inches but keeps only the feet (5'7 becomes 60 inches, and 5'15 becomes 60 where
# the contract says it is not a height). The public test of the units already fails (3 points),
# so does the impossible-values test (1 point), the clean table's heights are wrong (1 point),
# and copies of an entry written 5'7" no longer match the original 67, so they stay in the
# table as duplicates (2 points).
# expect: 6
# base: reference
# %% cell: height
def parse_height(values):
    number = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|in|inch|inches|\")?")
    feet = re.compile(r"(\d+)\s*(?:'|ft|feet|foot).*")

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
            match = feet.fullmatch(text)
            if match is None:
                return np.nan
            value = 12 * int(match[1])
        return value if 50 <= value <= 84 else np.nan

    return values.map(inches).astype(float)
