/*
 * A piece's scan and its elements, for the regular-segment loop of ``_edifact_fast.c``
 * (whose header comment says what it does; ``edifact_regular.run_regular_py`` is the
 * reference): the cache of short values, the one-pass scan of ASCII pieces and the general
 * scan and split of other pieces.
 */
#include "_edifact_fast.h"

/* Short ASCII values (2 to 4 characters: tags, codes, counts...) are shared: the same
 * interned string object for every occurrence of the same text, taken from this cache. They
 * are equal to fresh substrings in every way but identity; sharing them saves an allocation
 * (and later a deallocation) per value, and interned strings compare by identity first and
 * carry their hash, which makes the readers' comparisons and dictionary lookups cheaper.
 * (Empty and 1-character substrings are already shared by CPython.) */
#define SHORT_CACHE_SIZE 4096
static PyObject *short_cache[SHORT_CACHE_SIZE];

PyObject *
edifact_substring(PyObject *raw, const Py_UCS1 *ascii, Py_ssize_t from, Py_ssize_t to)
{
    Py_ssize_t len = to - from;
    if (ascii == NULL || len < 2 || len > 4) {
        return PyUnicode_Substring(raw, from, to);
    }
    const Py_UCS1 *p = ascii + from;
    uint32_t key = (uint32_t)len;
    for (Py_ssize_t i = 0; i < len; i++) {
        key = key * 131u + p[i];
    }
    key ^= key >> 13;
    PyObject **slot = &short_cache[(key * 2654435761u) >> 20]; /* 12 bits */
    PyObject *cached = *slot;
    if (cached != NULL && PyUnicode_GET_LENGTH(cached) == len
        && memcmp(PyUnicode_1BYTE_DATA(cached), p, (size_t)len) == 0) {
        return Py_NewRef(cached);
    }
    PyObject *value = PyUnicode_Substring(raw, from, to);
    if (value == NULL) {
        return NULL;
    }
    PyUnicode_InternInPlace(&value);
    if (PyUnicode_IS_ASCII(value) && PyUnicode_GET_LENGTH(value) == len) {
        Py_XSETREF(*slot, Py_NewRef(value));
    }
    return value;
}

/* Split ``raw[begin:end]`` into elements (lists of components), as
 * ``[p.split(comp) for p in raw[begin:end].split(elem)]`` does. The lists are made at their
 * final size (the separators are counted first). ``ascii`` is the text of an ASCII ``raw``,
 * else NULL. */
static inline __attribute__((always_inline)) PyObject *
split_elements_kind(PyObject *raw, int kind, const void *data, const Py_UCS1 *ascii,
                    Py_ssize_t begin, Py_ssize_t end, Py_UCS4 elem, Py_UCS4 comp)
{
    Py_ssize_t i, count = 1;
    for (i = begin; i < end; i++) {
        if (PyUnicode_READ(kind, data, i) == elem) {
            count++;
        }
    }
    PyObject *elements = PyList_New(count);
    if (elements == NULL) {
        return NULL;
    }
    Py_ssize_t e = 0, from = begin;
    while (e < count) {
        /* one element: raw[from:stop], stop at the next element separator or the end */
        Py_ssize_t stop = from, comps = 1;
        while (stop < end) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, stop);
            if (ch == elem) {
                break;
            }
            if (ch == comp) {
                comps++;
            }
            stop++;
        }
        PyObject *element = PyList_New(comps);
        if (element == NULL) {
            goto fail;
        }
        PyList_SET_ITEM(elements, e, element);
        Py_ssize_t c = 0, at = from;
        for (i = from; i <= stop; i++) {
            if (i < stop && PyUnicode_READ(kind, data, i) != comp) {
                continue;
            }
            PyObject *value = edifact_substring(raw, ascii, at, i);
            if (value == NULL) {
                goto fail;
            }
            PyList_SET_ITEM(element, c, value);
            c++;
            at = i + 1;
        }
        e++;
        from = stop + 1;
    }
    return elements;
fail:
    Py_DECREF(elements); /* the unset items are NULL: list_dealloc skips them */
    return NULL;
}

/* ``split_elements_kind`` compiled once per string kind (the kind a constant: the reads
 * are plain loads). */
PyObject *
edifact_split_elements(PyObject *raw, int kind, const void *data, const Py_UCS1 *ascii,
                       Py_ssize_t begin, Py_ssize_t end, Py_UCS4 elem, Py_UCS4 comp)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return split_elements_kind(raw, PyUnicode_1BYTE_KIND, data, ascii, begin, end, elem, comp);
    case PyUnicode_2BYTE_KIND:
        return split_elements_kind(raw, PyUnicode_2BYTE_KIND, data, ascii, begin, end, elem, comp);
    default:
        return split_elements_kind(raw, PyUnicode_4BYTE_KIND, data, ascii, begin, end, elem, comp);
    }
}

/* One pass over an ASCII piece: -1 if it holds a line break; 1 if it has more than SEP_MAX
 * separators (``seps`` is then incomplete, ``*tag_end`` still right); else 0. */
int
edifact_scan_ascii(const Py_UCS1 *p, Py_ssize_t len, Py_UCS4 elem, Py_UCS4 comp,
                   Py_ssize_t *tag_end, Seps *seps)
{
    Py_ssize_t i = 0, n = 0;
    int full = 0;
    *tag_end = -1;
    seps->count = 0;
    for (; i < len; i++) {
        Py_UCS1 ch = p[i];
        if (ch == '\n' || ch == '\r') {
            return -1;
        }
        if (ch == elem) {
            *tag_end = i;
            i++;
            break;
        }
    }
    for (; i < len; i++) {
        Py_UCS1 ch = p[i];
        if (ch == '\n' || ch == '\r') {
            return -1;
        }
        if (ch == elem || ch == comp) {
            if (n < SEP_MAX) {
                seps->pos[n] = i;
                seps->is_elem[n] = ch == elem;
                n++;
            }
            else {
                full = 1;
            }
        }
    }
    seps->count = n;
    return full;
}

/* The elements of an ASCII piece from its separators (``scan_ascii``): as
 * ``[p.split(comp) for p in text[begin:len].split(elem)]``. */
PyObject *
edifact_split_ascii(PyObject *text, const Py_UCS1 *ascii, Py_ssize_t begin, Py_ssize_t len,
                    const Seps *seps)
{
    Py_ssize_t n = seps->count, count = 1, k;
    for (k = 0; k < n; k++) {
        count += seps->is_elem[k];
    }
    PyObject *elements = PyList_New(count);
    if (elements == NULL) {
        return NULL;
    }
    Py_ssize_t at = begin;
    k = 0;
    for (Py_ssize_t e = 0; e < count; e++) {
        Py_ssize_t j = k;
        while (j < n && !seps->is_elem[j]) {
            j++;
        }
        /* components: the separators k..j-1, then the element's end (pos[j] or len) */
        PyObject *element = PyList_New(j - k + 1);
        if (element == NULL) {
            goto fail;
        }
        PyList_SET_ITEM(elements, e, element);
        for (Py_ssize_t c = 0; c <= j - k; c++) {
            Py_ssize_t to = k + c < n ? seps->pos[k + c] : len;
            PyObject *value = edifact_substring(text, ascii, at, to);
            if (value == NULL) {
                goto fail;
            }
            PyList_SET_ITEM(element, c, value);
            at = to + 1;
        }
        k = j + 1;
    }
    return elements;
fail:
    Py_DECREF(elements);
    return NULL;
}

/* Scan a piece from ``begin``: -1 if it holds a line break, else 0, with ``*tag_end`` the first
 * element separator (-1 when there is none). */
static inline __attribute__((always_inline)) int
scan_piece_kind(int kind, const void *data, Py_ssize_t begin, Py_ssize_t len, Py_UCS4 elem,
                Py_ssize_t *tag_end)
{
    Py_ssize_t found = -1;
    for (Py_ssize_t i = begin; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '\n' || ch == '\r') {
            return -1;
        }
        if (ch == elem && found < 0) {
            found = i;
        }
    }
    *tag_end = found;
    return 0;
}

int
edifact_scan_piece(int kind, const void *data, Py_ssize_t begin, Py_ssize_t len, Py_UCS4 elem,
                   Py_ssize_t *tag_end)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return scan_piece_kind(PyUnicode_1BYTE_KIND, data, begin, len, elem, tag_end);
    case PyUnicode_2BYTE_KIND:
        return scan_piece_kind(PyUnicode_2BYTE_KIND, data, begin, len, elem, tag_end);
    default:
        return scan_piece_kind(PyUnicode_4BYTE_KIND, data, begin, len, elem, tag_end);
    }
}

