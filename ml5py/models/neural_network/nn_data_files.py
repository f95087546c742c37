"""NeuralNetwork's data files: ml5.js's data JSON, flat JSON rows and CSV, both ways. Written once.

- ml5.js's ``saveData`` file: ``{"data": [{"xs": {"r": 255, ...}, "ys": {"colour": "red"}}, ...]}``;
  ``save_data("colours")`` writes it as ``colours.json``.
- A table: CSV (a header row, then one example per line) or JSON rows
  (``{"entries": [{"r": 255, "g": 0, "colour": "red"}, ...]}``, ``{"data": [...]}`` or a list),
  where the ``inputs`` and ``outputs`` options (or ``load_data``'s) say which columns are
  which; ``save_data("colours.csv")`` writes one. Numbers in a CSV are read as numbers.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


def data_json(rows):
    """ml5.js's data file for the examples ``rows``."""
    return {"data": rows}


def rows_from_loaded(loaded, where, inputs, outputs):
    """The examples in a data file's text (JSON or CSV) or already parsed JSON."""
    if isinstance(loaded, str):
        start = loaded.strip()
        if start.startswith("{") or start.startswith("["):
            try:
                loaded = rt.parse_json(loaded)
            except Exception as error:
                raise ValueError(where + " cannot be read: " + str(error)) from None
            return rows_from_json(loaded, inputs, outputs, where)
        table = parse_csv(loaded, where)
        return rows_from_records(table[1], table[0], inputs, outputs, where)
    return rows_from_json(loaded, inputs, outputs, where)


def _entries(data):
    """The list of rows in a data file (ml5.js looks for "entries", then "data")."""
    if rt.is_sequence(data):
        return data
    if rt.is_object(data):
        for key in ["entries", "data"]:
            if key in data and rt.is_sequence(data[key]):
                return data[key]
        for key in rt.object_keys(data):
            if rt.is_object(data[key]):
                found = _entries(data[key])
                if found is not None:
                    return found
    return None


def rows_from_json(data, inputs, outputs, where):
    """``[{"xs", "ys"}, ...]`` from a data file's JSON (ml5.js's, or table rows named by inputs/outputs)."""
    entries = _entries(data)
    if entries is None or len(entries) == 0:
        raise ValueError(where + " holds no examples: ml5py reads ml5.js's data files ({\"data\": [{\"xs\": "
                         "..., \"ys\": ...}]}) and tables of rows ({\"entries\": [...]}, or CSV).")
    first = entries[0]
    if rt.is_object(first) and "xs" in first and "ys" in first:
        for index in range(len(entries)):
            row = entries[index]
            if not rt.is_object(row) or "xs" not in row or "ys" not in row:
                raise ValueError(where + ": example " + str(index + 1) + " has no xs and ys, as every "
                                 "example of an ml5.js data file has.")
        return entries
    columns = rt.object_keys(first) if rt.is_object(first) else []
    return rows_from_records(entries, columns, inputs, outputs, where)


def rows_from_records(records, columns, inputs, outputs, where):
    """Table rows (dicts by column) as examples, ``inputs`` and ``outputs`` naming the columns."""
    inputs = _names(inputs)
    outputs = _names(outputs)
    if inputs is None and outputs is None:
        raise ValueError("Which columns of " + where + " are inputs and which are outputs? Say so with "
                         "load_data(file, inputs=[...], outputs=[...]) (or the NeuralNetwork's inputs and "
                         "outputs options). Its columns are: " + ", ".join(columns) + ".")
    if inputs is None:
        inputs = _others(columns, outputs)
    if outputs is None:
        outputs = _others(columns, inputs)
    for name in _joined(inputs, outputs):
        if name not in columns:
            raise ValueError(where + " has no column '" + name + "'; its columns are: " +
                             ", ".join(columns) + ".")
    rows = []
    for index in range(len(records)):
        record = records[index]
        xs = {}
        ys = {}
        for name in inputs:
            xs[name] = _cell(record, name, index, where)
        for name in outputs:
            ys[name] = _cell(record, name, index, where)
        rows.append({"xs": xs, "ys": ys})
    return rows


def _names(names):
    """Column names from an option: a list of names; counts (or nothing) say no names."""
    if names is None or not rt.is_sequence(names) or len(names) == 0:
        return None
    for name in names:
        if not isinstance(name, str):
            return None
    return names


def _others(columns, taken):
    others = []
    for name in columns:
        if name not in taken:
            others.append(name)
    return others


def _joined(first, second):
    names = first[:]
    for name in second:
        names.append(name)
    return names


def _cell(record, name, index, where):
    if not rt.is_object(record) or name not in record or record[name] is None or record[name] == "":
        raise ValueError(where + ": row " + str(index + 1) + " has no value for '" + name + "'.")
    return record[name]


# ---------------------------------------------------------------- CSV

def _looks_like_number(text):
    """True for text such as 12, -3.5, .5, 1e-3 (what a CSV cell holding a number looks like)."""
    position = 0
    length = len(text)
    if position < length and (text[position] == "-" or text[position] == "+"):
        position += 1
    digits = 0
    while position < length and "0123456789".find(text[position]) >= 0:
        position += 1
        digits += 1
    if position < length and text[position] == ".":
        position += 1
        while position < length and "0123456789".find(text[position]) >= 0:
            position += 1
            digits += 1
    if digits == 0:
        return False
    if position < length and (text[position] == "e" or text[position] == "E"):
        position += 1
        if position < length and (text[position] == "-" or text[position] == "+"):
            position += 1
        exponent = 0
        while position < length and "0123456789".find(text[position]) >= 0:
            position += 1
            exponent += 1
        if exponent == 0:
            return False
    return position == length


def _value(text, quoted):
    if quoted:
        return text
    text = text.strip()
    return float(text) if _looks_like_number(text) else text


def parse_csv(text, where):
    """[columns, records] of CSV text (quotes, commas and new lines inside quotes, CRLF)."""
    lines = []
    fields = []
    field = ""
    quoted = False
    was_quoted = False
    position = 0
    length = len(text)
    if length > 0 and text[0] == "\ufeff":
        position = 1  # a byte-order mark
    while position < length:
        letter = text[position]
        if quoted:
            if letter == "\"":
                if position + 1 < length and text[position + 1] == "\"":
                    field += "\""
                    position += 1
                else:
                    quoted = False
            else:
                field += letter
        elif letter == "\"" and field.strip() == "":
            quoted = True
            was_quoted = True
            field = ""
        elif letter == ",":
            fields.append(_value(field, was_quoted))
            field = ""
            was_quoted = False
        elif letter == "\n" or letter == "\r":
            if letter == "\r" and position + 1 < length and text[position + 1] == "\n":
                position += 1
            fields.append(_value(field, was_quoted))
            lines.append(fields)
            fields = []
            field = ""
            was_quoted = False
        else:
            field += letter
        position += 1
    if field != "" or was_quoted or len(fields) > 0:
        fields.append(_value(field, was_quoted))
        lines.append(fields)
    kept = []
    for line in lines:
        if len(line) > 1 or (len(line) == 1 and line[0] != ""):
            kept.append(line)  # blank lines are skipped
    if len(kept) < 2:
        raise ValueError(where + " has no rows of data under its header line.")
    columns = []
    for name in kept[0]:
        columns.append(str(name))
    records = []
    for index in range(1, len(kept)):
        if len(kept[index]) != len(columns):
            raise ValueError(where + ": line " + str(index + 1) + " has " + str(len(kept[index])) + " values "
                             "but the header has " + str(len(columns)) + " columns (" + ", ".join(columns) + ").")
        record = {}
        for column in range(len(columns)):
            record[columns[column]] = kept[index][column]
        records.append(record)
    return [columns, records]


def _csv_cell(value):
    if rt.is_number(value):
        return str(int(value)) if int(value) == value and abs(value) < 1e15 else str(value)
    text = str(value)
    if text.find(",") >= 0 or text.find("\"") >= 0 or text.find("\n") >= 0 or text.find("\r") >= 0 or \
            text != text.strip() or _looks_like_number(text):
        return "\"" + text.replace("\"", "\"\"") + "\""  # quoted: read back as text, as it was
    return text


def csv_text(rows, input_names, output_names):
    """The examples as CSV: a header (inputs, then outputs), one example per line."""
    names = _joined(input_names, output_names)
    for name in names:
        if name.find(",") >= 0 or name.find("\"") >= 0:
            raise ValueError("The name '" + name + "' cannot be a CSV column (it holds a comma or a quote).")
    lines = [",".join(names)]
    for row in rows:
        cells = []
        for name in input_names:
            cells.append(_row_cell(row["xs"][name], name))
        for name in output_names:
            cells.append(_row_cell(row["ys"][name], name))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _row_cell(value, name):
    if rt.is_sequence(value):
        raise ValueError("'" + name + "' holds a list of numbers (a picture?), which a CSV cell cannot hold; "
                         "save the data as JSON instead (save_data(\"name.json\")).")
    return _csv_cell(value)
