/*
 * The terminator split of ``paxwatch.formats._edifact_fast`` (``split_pieces``).
 */
#include "_edifact_fast.h"

/* ``split_pieces(body, term)``: the C twin of ``edifact_regular.split_pieces_py`` (the
 * reference): ``body`` split on the one-character terminator ``term``, each piece but the
 * first without the line break it starts with (one CR LF, then one LF, then one CR), how
 * many characters each lost (bytes; empty when none lost any) and whether line breaks remain
 * in the pieces. One pass over the text makes each piece once
 * (``str.split`` then a slice made two strings for a piece that starts a line). */
static inline __attribute__((always_inline)) PyObject *
split_pieces_kind(PyObject *body, int kind, const void *data, Py_ssize_t len, Py_UCS4 term,
                  PyObject **cuts_out, int *layout)
{
    Py_ssize_t i, count = 1, breaks = 0, removed = 0;
    for (i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == term) {
            count++;
        }
        if (ch == '\n' || ch == '\r') {
            breaks++;
        }
    }
    int strip = breaks > 0 && term != '\n' && term != '\r';
    PyObject *pieces = PyList_New(count);
    PyObject *cuts_obj = strip ? PyBytes_FromStringAndSize(NULL, count) : NULL;
    if (pieces == NULL || (strip && cuts_obj == NULL)) {
        Py_XDECREF(pieces);
        return NULL;
    }
    char *cuts = strip ? PyBytes_AS_STRING(cuts_obj) : NULL;
    if (strip) {
        memset(cuts, 0, (size_t)count);
    }
    Py_ssize_t k = 0, from = 0;
    for (i = 0; i <= len; i++) {
        if (i < len && PyUnicode_READ(kind, data, i) != term) {
            continue;
        }
        Py_ssize_t at = from;
        if (strip && k > 0 && at < i) {
            Py_UCS4 first = PyUnicode_READ(kind, data, at);
            if (first == '\r' || first == '\n') {
                Py_ssize_t cut = 0;
                if (first == '\r' && at + 1 < i && PyUnicode_READ(kind, data, at + 1) == '\n') {
                    cut = 2;
                }
                if (at + cut < i && PyUnicode_READ(kind, data, at + cut) == '\n') {
                    cut++;
                }
                if (at + cut < i && PyUnicode_READ(kind, data, at + cut) == '\r') {
                    cut++;
                }
                at += cut;
                removed += cut;
                cuts[k] = (char)cut;
            }
        }
        PyObject *piece = PyUnicode_Substring(body, at, i);
        if (piece == NULL) {
            Py_DECREF(pieces);
            Py_XDECREF(cuts_obj);
            return NULL;
        }
        PyList_SET_ITEM(pieces, k, piece);
        k++;
        from = i + 1;
    }
    *layout = breaks > removed;
    if (removed == 0) {
        Py_XDECREF(cuts_obj);
        cuts_obj = PyBytes_FromStringAndSize(NULL, 0);
        if (cuts_obj == NULL) {
            Py_DECREF(pieces);
            return NULL;
        }
    }
    *cuts_out = cuts_obj;
    return pieces;
}

/* How many times the byte ``ch`` is in ``p[0:len]`` (memchr: vectorised by the C library). */
static Py_ssize_t
count_byte(const Py_UCS1 *p, Py_ssize_t len, Py_UCS1 ch)
{
    Py_ssize_t n = 0;
    const Py_UCS1 *end = p + len;
    while (p < end && (p = memchr(p, ch, (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* ``split_pieces_kind`` for a one-byte text and terminator, with memchr. */
static PyObject *
split_pieces_ucs1(PyObject *body, const Py_UCS1 *data, Py_ssize_t len, Py_UCS1 term,
                  PyObject **cuts_out, int *layout)
{
    Py_ssize_t count = 1 + count_byte(data, len, term);
    Py_ssize_t breaks = count_byte(data, len, '\n') + count_byte(data, len, '\r');
    Py_ssize_t removed = 0;
    int strip = breaks > 0 && term != '\n' && term != '\r';
    PyObject *pieces = PyList_New(count);
    PyObject *cuts_obj = strip ? PyBytes_FromStringAndSize(NULL, count) : NULL;
    if (pieces == NULL || (strip && cuts_obj == NULL)) {
        Py_XDECREF(pieces);
        return NULL;
    }
    char *cuts = strip ? PyBytes_AS_STRING(cuts_obj) : NULL;
    if (strip) {
        memset(cuts, 0, (size_t)count);
    }
    Py_ssize_t from = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        const Py_UCS1 *hit = memchr(data + from, term, (size_t)(len - from));
        Py_ssize_t i = hit == NULL ? len : hit - data;
        Py_ssize_t at = from;
        if (strip && k > 0 && at < i && (data[at] == '\r' || data[at] == '\n')) {
            Py_ssize_t cut = data[at] == '\r' && at + 1 < i && data[at + 1] == '\n' ? 2 : 0;
            if (at + cut < i && data[at + cut] == '\n') {
                cut++;
            }
            if (at + cut < i && data[at + cut] == '\r') {
                cut++;
            }
            at += cut;
            removed += cut;
            cuts[k] = (char)cut;
        }
        PyObject *piece = PyUnicode_Substring(body, at, i);
        if (piece == NULL) {
            Py_DECREF(pieces);
            Py_XDECREF(cuts_obj);
            return NULL;
        }
        PyList_SET_ITEM(pieces, k, piece);
        from = i + 1;
    }
    *layout = breaks > removed;
    if (removed == 0) {
        Py_XDECREF(cuts_obj);
        cuts_obj = PyBytes_FromStringAndSize(NULL, 0);
        if (cuts_obj == NULL) {
            Py_DECREF(pieces);
            return NULL;
        }
    }
    *cuts_out = cuts_obj;
    return pieces;
}

PyObject *
edifact_split_pieces(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])
        || PyUnicode_GET_LENGTH(args[1]) != 1) {
        PyErr_SetString(PyExc_TypeError, "split_pieces(body: str, term: one character)");
        return NULL;
    }
    PyObject *body = args[0];
    Py_UCS4 term = PyUnicode_READ_CHAR(args[1], 0);
    Py_ssize_t len = PyUnicode_GET_LENGTH(body);
    const void *data = PyUnicode_DATA(body);
    int layout = 0;
    PyObject *pieces, *cuts = NULL;
    switch (PyUnicode_KIND(body)) {
    case PyUnicode_1BYTE_KIND:
        pieces = term < 256
            ? split_pieces_ucs1(body, (const Py_UCS1 *)data, len, (Py_UCS1)term, &cuts, &layout)
            : split_pieces_kind(body, PyUnicode_1BYTE_KIND, data, len, term, &cuts, &layout);
        break;
    case PyUnicode_2BYTE_KIND:
        pieces = split_pieces_kind(body, PyUnicode_2BYTE_KIND, data, len, term, &cuts, &layout);
        break;
    default:
        pieces = split_pieces_kind(body, PyUnicode_4BYTE_KIND, data, len, term, &cuts, &layout);
        break;
    }
    if (pieces == NULL) {
        return NULL;
    }
    PyObject *result = PyTuple_New(3);
    if (result == NULL) {
        Py_DECREF(pieces);
        Py_DECREF(cuts);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 0, pieces);
    PyTuple_SET_ITEM(result, 1, cuts);
    PyTuple_SET_ITEM(result, 2, Py_NewRef(layout ? Py_True : Py_False));
    return result;
}

