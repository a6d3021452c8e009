/*
 * The regular-segment loop of the EDIFACT tokenizer, in C.
 *
 * ``run`` is the C twin of ``paxwatch.formats.edifact_regular.run_regular_py`` (read that
 * function first: it is the reference, and tests check that both give the same segments on
 * arbitrary input). It reads pieces (segment texts split on the terminator) from ``start``
 * while they are regular -- no line break (leading blanks are removed), a tag already known
 * to be valid that is not UNZ, no released characters, no more elements than the profile allows -- builds a
 * ``Segment`` for each and appends it to ``segments``. It stops at the first piece that is not
 * regular and returns ``(piece_no, index)``: the Python tokenizer reads that piece (with every
 * repair and finding) and calls ``run`` again. So the C code never repairs or reports
 * anything: it only does, faster, what the Python loop does for ordinary segments.
 *
 * ``configure(Segment)`` must be called once. When Segment is the Python class, ``run``
 * stores the six attributes of a segment directly in its slots (the offsets are read from
 * the class's member descriptors); when it is compiled by mypyc (the normal install), ``run``
 * calls ``factory`` (``edifact_segment.new_segment``, which calls the class) with the six
 * attributes: the readers then use the segment's attributes and methods natively. For the Python class it also
 * replaces the two methods readers call most, ``Segment.get`` and ``Segment.element``, by C
 * twins that read the slot directly (the Python methods stay the reference: tests compare
 * them, and the C ones hand them anything unusual, such as negative indices).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static PyTypeObject *segment_type = NULL;
static Py_ssize_t off_tag, off_elements, off_index, off_text, off_pos, off_lines;
/* Whether Segment has plain object slots (the Python class) that ``run`` fills directly;
 * otherwise (the class compiled by mypyc) ``run`` calls the class. */
static int fill_slots = 0;
/* What ``run`` calls to make a segment when it does not fill slots: the class, or a function
 * that calls it (cheaper to call than a compiled class: no argument tuple). */
static PyObject *segment_factory = NULL;
/* The Python ``Segment.get`` and ``Segment.element``: what the C methods fall back to. */
static PyObject *py_get = NULL, *py_element = NULL;
static PyObject *empty_str = NULL;

static int
slot_offset(PyObject *cls, const char *name, Py_ssize_t *offset)
{
    PyObject *descr = PyObject_GetAttrString(cls, name);
    if (descr == NULL) {
        return -1;
    }
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)
        || ((PyMemberDescrObject *)descr)->d_member->type != T_OBJECT_EX) {
        Py_DECREF(descr);
        PyErr_Format(PyExc_TypeError, "%s is not an object slot", name);
        return -1;
    }
    *offset = ((PyMemberDescrObject *)descr)->d_member->offset;
    Py_DECREF(descr);
    return 0;
}

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* Call the Python method ``func`` with ``self`` and the arguments of a vectorcall. */
static PyObject *
call_python(PyObject *func, PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    Py_ssize_t total = nargs + (kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames));
    PyObject **all = PyMem_Malloc((size_t)(total + 1) * sizeof(PyObject *));
    if (all == NULL) {
        return PyErr_NoMemory();
    }
    all[0] = self;
    for (Py_ssize_t i = 0; i < total; i++) {
        all[i + 1] = args[i];
    }
    PyObject *result = PyObject_Vectorcall(func, all, (size_t)nargs + 1, kwnames);
    PyMem_Free(all);
    return result;
}

/* ``Segment.get(element, component=0)`` in C: component ``component`` of element
 * ``element``, or "". Anything but a list of lists and two non-negative indices that fit in a
 * Py_ssize_t is handed to the Python method, which stays the reference. */
static PyObject *
segment_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *elements = SLOT(self, off_elements);
    Py_ssize_t e, c = 0;
    if ((kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) || nargs < 1 || nargs > 2 || elements == NULL || !PyList_CheckExact(elements)
        || !PyLong_CheckExact(args[0]) || (nargs == 2 && !PyLong_CheckExact(args[1]))) {
        goto fallback;
    }
    e = PyLong_AsSsize_t(args[0]);
    if (nargs == 2) {
        c = PyLong_AsSsize_t(args[1]);
    }
    if (e < 0 || c < 0) { /* negative, or too large (an error was set) */
        PyErr_Clear();
        goto fallback;
    }
    if (e >= PyList_GET_SIZE(elements)) {
        return Py_NewRef(empty_str);
    }
    PyObject *comps = PyList_GET_ITEM(elements, e);
    if (!PyList_CheckExact(comps)) {
        goto fallback;
    }
    if (c >= PyList_GET_SIZE(comps)) {
        return Py_NewRef(empty_str);
    }
    return Py_NewRef(PyList_GET_ITEM(comps, c));
fallback:
    return call_python(py_get, self, args, nargs, kwnames);
}

/* ``Segment.element(element)`` in C: all components of element ``element``, or []. */
static PyObject *
segment_element(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames)
{
    PyObject *elements = SLOT(self, off_elements);
    Py_ssize_t e;
    if ((kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) || nargs != 1 || elements == NULL || !PyList_CheckExact(elements)
        || !PyLong_CheckExact(args[0])) {
        goto fallback;
    }
    e = PyLong_AsSsize_t(args[0]);
    if (e < 0) {
        PyErr_Clear();
        goto fallback;
    }
    if (e >= PyList_GET_SIZE(elements)) {
        return PyList_New(0);
    }
    return Py_NewRef(PyList_GET_ITEM(elements, e));
fallback:
    return call_python(py_element, self, args, nargs, kwnames);
}

static PyMethodDef get_def = {
    "get", (PyCFunction)(void (*)(void))segment_get, METH_FASTCALL | METH_KEYWORDS,
    "Component ``component`` of element ``element`` (both 0-based), or \"\"."};
static PyMethodDef element_def = {
    "element", (PyCFunction)(void (*)(void))segment_element, METH_FASTCALL | METH_KEYWORDS,
    "All components of element ``element`` (0-based), or an empty list."};

/* Replace the Python method ``name`` of ``cls`` by the C one (the Python one is kept in
 * ``*original``, for the cases the C one does not handle). */
static int
install_method(PyObject *cls, PyMethodDef *def, PyObject **original)
{
    PyObject *current = PyObject_GetAttrString(cls, def->ml_name);
    if (current == NULL) {
        return -1;
    }
    if (Py_IS_TYPE(current, &PyMethodDescr_Type)) {
        Py_DECREF(current); /* already installed (configure called again) */
        return 0;
    }
    if (!PyFunction_Check(current)) {
        Py_DECREF(current);
        PyErr_Format(PyExc_TypeError, "Segment.%s is not a function", def->ml_name);
        return -1;
    }
    PyObject *descr = PyDescr_NewMethod((PyTypeObject *)cls, def);
    if (descr == NULL || PyObject_SetAttrString(cls, def->ml_name, descr) < 0) {
        Py_XDECREF(descr);
        Py_DECREF(current);
        return -1;
    }
    Py_DECREF(descr);
    Py_XSETREF(*original, current);
    return 0;
}

static PyObject *
configure(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "configure(Segment, factory=None)");
        return NULL;
    }
    PyObject *cls = args[0];
    PyObject *factory = nargs == 2 && args[1] != Py_None ? args[1] : cls;
    if (!PyType_Check(cls) || !PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "configure() needs the Segment class");
        return NULL;
    }
    if (empty_str == NULL && (empty_str = PyUnicode_New(0, 0)) == NULL) {
        return NULL;
    }
    if (slot_offset(cls, "tag", &off_tag) < 0 || slot_offset(cls, "elements", &off_elements) < 0
        || slot_offset(cls, "index", &off_index) < 0 || slot_offset(cls, "text", &off_text) < 0
        || slot_offset(cls, "_pos", &off_pos) < 0 || slot_offset(cls, "_lines", &off_lines) < 0) {
        /* Not plain slots: the class compiled by mypyc, whose attributes and methods are
         * native already. ``run`` calls it. */
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
            return NULL;
        }
        PyErr_Clear();
        fill_slots = 0;
        Py_XSETREF(segment_factory, Py_NewRef(factory));
        Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(cls));
        Py_RETURN_NONE;
    }
    if (install_method(cls, &get_def, &py_get) < 0
        || install_method(cls, &element_def, &py_element) < 0) {
        return NULL;
    }
    fill_slots = 1;
    Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(cls));
    Py_RETURN_NONE;
}

/* Short ASCII values (2 to 4 characters: tags, codes, counts...) are shared: the same
 * interned string object for every occurrence of the same text, taken from this cache. They
 * are equal to fresh substrings in every way but identity; sharing them saves an allocation
 * (and later a deallocation) per value, and interned strings compare by identity first and
 * carry their hash, which makes the readers' comparisons and dictionary lookups cheaper.
 * (Empty and 1-character substrings are already shared by CPython.) */
#define SHORT_CACHE_SIZE 4096
static PyObject *short_cache[SHORT_CACHE_SIZE];

static PyObject *
substring(PyObject *raw, const Py_UCS1 *ascii, Py_ssize_t from, Py_ssize_t to)
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
            PyObject *value = substring(raw, ascii, at, i);
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
static PyObject *
split_elements(PyObject *raw, int kind, const void *data, const Py_UCS1 *ascii,
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

/* The separators of an ASCII piece, found in one pass (``scan_ascii``): their positions, and
 * for each whether it separates elements (else components). Pieces with more separators than
 * this are read by the general code (a pass per level). */
#define SEP_MAX 256

typedef struct {
    Py_ssize_t count;            /* separators after the tag */
    Py_ssize_t pos[SEP_MAX];
    unsigned char is_elem[SEP_MAX];
} Seps;

/* One pass over an ASCII piece: -1 if it holds a line break; 1 if it has more than SEP_MAX
 * separators (``seps`` is then incomplete, ``*tag_end`` still right); else 0. */
static int
scan_ascii(const Py_UCS1 *p, Py_ssize_t len, Py_UCS4 elem, Py_UCS4 comp, Py_ssize_t *tag_end,
           Seps *seps)
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
static PyObject *
split_ascii(PyObject *text, const Py_UCS1 *ascii, Py_ssize_t begin, Py_ssize_t len,
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
            PyObject *value = substring(text, ascii, at, to);
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

static int
scan_piece(int kind, const void *data, Py_ssize_t begin, Py_ssize_t len, Py_UCS4 elem,
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

static PyObject *
run(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *pieces, *segments, *valid, *limits, *elem_sep, *comp_sep, *lines;
    Py_ssize_t start, stop, index, piece_no;
    int escaped;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "run() takes 11 arguments");
        return NULL;
    }
    pieces = args[0];
    segments = args[3];
    valid = args[5];
    limits = args[6];
    elem_sep = args[7];
    comp_sep = args[8];
    lines = args[10];
    start = PyLong_AsSsize_t(args[1]);
    stop = PyLong_AsSsize_t(args[2]);
    index = PyLong_AsSsize_t(args[4]);
    escaped = PyObject_IsTrue(args[9]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (segment_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        return NULL;
    }
    if (!PyList_CheckExact(pieces) || !PyList_CheckExact(segments) || !PyAnySet_Check(valid)
        || !PyUnicode_Check(elem_sep) || !PyUnicode_Check(comp_sep)) {
        PyErr_SetString(PyExc_TypeError, "run(): unexpected argument types");
        return NULL;
    }
    piece_no = start;
    /* Anything unusual (a limits mapping that is not a dict, separators of other lengths)
     * is left to the Python loop: no piece is read here. */
    if (!PyDict_CheckExact(limits) || PyUnicode_GET_LENGTH(elem_sep) != 1
        || PyUnicode_GET_LENGTH(comp_sep) != 1) {
        goto done;
    }
    Py_UCS4 elem = PyUnicode_READ_CHAR(elem_sep, 0);
    Py_UCS4 comp = PyUnicode_READ_CHAR(comp_sep, 0);
    Seps seps;
    seps.count = 0;
    if (stop > PyList_GET_SIZE(pieces)) {
        stop = PyList_GET_SIZE(pieces);
    }
    for (; piece_no < stop; piece_no++) {
        PyObject *raw = PyList_GET_ITEM(pieces, piece_no);
        if (!PyUnicode_CheckExact(raw)) {
            break;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(raw);
        if (len == 0) {
            continue; /* an empty piece: nothing between two terminators */
        }
        if (escaped && !PyUnicode_IS_ASCII(raw)) {
            break; /* may hold released characters */
        }
        int kind = PyUnicode_KIND(raw);
        const void *data = PyUnicode_DATA(raw);
        Py_ssize_t tag_end;
        /* ASCII (nearly every piece): one pass finds the separators too */
        int one_pass = PyUnicode_IS_ASCII(raw);
        if (one_pass) {
            int scanned = scan_ascii(data, len, elem, comp, &tag_end, &seps);
            if (scanned < 0) {
                break; /* a line break: the Python loop removes it */
            }
            one_pass = scanned == 0;
        }
        else if (scan_piece(kind, data, 0, len, elem, &tag_end) < 0) {
            break;
        }
        Py_UCS4 first = PyUnicode_READ(kind, data, 0);
        PyObject *text = raw; /* borrowed; a new reference when blanks are removed */
        if (first == ' ' || first == '\t') {
            /* leading blanks (a space after the terminator) are removed, as raw.lstrip(" \t") */
            Py_ssize_t lead = 1;
            while (lead < len) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, lead);
                if (ch != ' ' && ch != '\t') {
                    break;
                }
                lead++;
            }
            if (lead == len) {
                continue; /* only blanks: nothing to read */
            }
            text = PyUnicode_Substring(raw, lead, len);
            if (text == NULL) {
                return NULL;
            }
            len -= lead;
            if (tag_end >= 0) {
                tag_end -= lead;
            }
            one_pass = 0; /* (the separators' positions are those of raw) */
            kind = PyUnicode_KIND(text);
            data = PyUnicode_DATA(text);
        }
        else {
            Py_INCREF(text);
        }
        const Py_UCS1 *ascii = PyUnicode_IS_ASCII(text) ? PyUnicode_1BYTE_DATA(text) : NULL;
        PyObject *tag = substring(text, ascii, 0, tag_end < 0 ? len : tag_end);
        if (tag == NULL) {
            Py_DECREF(text);
            return NULL;
        }
        int known = PySet_Contains(valid, tag);
        if (known < 0) {
            Py_DECREF(tag);
            Py_DECREF(text);
            return NULL;
        }
        if (!known || (PyUnicode_GET_LENGTH(tag) == 3 && PyUnicode_IS_ASCII(tag)
                       && memcmp(PyUnicode_1BYTE_DATA(tag), "UNZ", 3) == 0)) {
            Py_DECREF(tag);
            Py_DECREF(text);
            break;
        }
        PyObject *elements = tag_end < 0 ? PyList_New(0)
            : one_pass ? split_ascii(text, ascii, tag_end + 1, len, &seps)
            : split_elements(text, kind, data, ascii, tag_end + 1, len, elem, comp);
        if (elements == NULL) {
            Py_DECREF(tag);
            Py_DECREF(text);
            return NULL;
        }
        PyObject *limit_obj = PyDict_GetItemWithError(limits, tag); /* borrowed */
        long limit = 99;
        if (limit_obj != NULL) {
            limit = PyLong_Check(limit_obj) ? PyLong_AsLong(limit_obj) : -1;
            if (limit == -1 && PyErr_Occurred()) {
                PyErr_Clear();
            }
        }
        else if (PyErr_Occurred()) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            return NULL;
        }
        if (limit < 0 || PyList_GET_SIZE(elements) > limit) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            break; /* too many elements: the Python loop looks for a missing terminator */
        }
        PyObject *index_obj = PyLong_FromSsize_t(index + 1);
        PyObject *pos_obj = PyLong_FromSsize_t(piece_no);
        PyObject *seg = NULL;
        if (index_obj != NULL && pos_obj != NULL) {
            if (fill_slots) {
                seg = segment_type->tp_alloc(segment_type, 0);
            }
            else {
                PyObject *argv[6] = {tag, elements, index_obj, text, pos_obj, lines};
                seg = PyObject_Vectorcall(segment_factory, argv, 6, NULL);
            }
        }
        if (seg == NULL) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            Py_XDECREF(index_obj);
            Py_XDECREF(pos_obj);
            return NULL;
        }
        if (fill_slots) { /* the slots take the references */
            SLOT(seg, off_tag) = tag;
            SLOT(seg, off_elements) = elements;
            SLOT(seg, off_index) = index_obj;
            SLOT(seg, off_text) = text;
            SLOT(seg, off_pos) = pos_obj;
            SLOT(seg, off_lines) = Py_NewRef(lines);
        }
        else {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_DECREF(text);
            Py_DECREF(index_obj);
            Py_DECREF(pos_obj);
        }
        int appended = PyList_Append(segments, seg);
        Py_DECREF(seg);
        if (appended < 0) {
            return NULL;
        }
        index++;
    }
done:
    return Py_BuildValue("(nn)", piece_no, index);
}

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

static PyObject *
split_pieces(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
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

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_FASTCALL,
     "configure(Segment, factory=None): how run() makes segments (see the module)."},
    {"split_pieces", (PyCFunction)(void (*)(void))split_pieces, METH_FASTCALL,
     "split_pieces(body, term) -> (pieces, cuts, layout): body split on the terminator, the "
     "line break that starts a piece removed; what each lost; whether line breaks remain."},
    {"run", (PyCFunction)(void (*)(void))run, METH_FASTCALL,
     "run(pieces, start, stop, segments, index, valid, limits, elem_sep, comp_sep, escaped, "
     "lines) -> (piece_no, index): read the regular pieces from start."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paxwatch.formats._edifact_fast",
    "C twin of the regular-segment loop of paxwatch.formats.edifact.", -1, methods,
};

PyMODINIT_FUNC
PyInit__edifact_fast(void)
{
    return PyModule_Create(&module);
}
