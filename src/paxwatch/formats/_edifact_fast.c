/*
 * The regular-segment loop of the EDIFACT tokenizer, in C.
 *
 * ``run`` is the C twin of ``paxwatch.formats.edifact._run_regular`` (read that function
 * first: it is the reference, and tests check that both give the same segments on arbitrary
 * input). It reads pieces (segment texts split on the terminator) from ``start`` while they
 * are regular -- no line break, no leading blank, a tag already known to be valid that is not
 * UNZ, no released characters, no more elements than the profile allows -- builds a
 * ``Segment`` for each and appends it to ``segments``. It stops at the first piece that is not
 * regular and returns ``(piece_no, index)``: the Python tokenizer reads that piece (with every
 * repair and finding) and calls ``run`` again. So the C code never repairs or reports
 * anything: it only does, faster, what the Python loop does for ordinary segments.
 *
 * ``configure(Segment)`` must be called once: ``run`` stores the six attributes of a segment
 * directly in its slots (the offsets are read from the class's member descriptors). It also
 * replaces the two methods readers call most, ``Segment.get`` and ``Segment.element``, by C
 * twins that read the slot directly (the Python methods stay the reference: tests compare
 * them, and the C ones hand them anything unusual, such as negative indices).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static PyTypeObject *segment_type = NULL;
static Py_ssize_t off_tag, off_elements, off_index, off_text, off_pos, off_lines;
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
configure(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "configure() needs the Segment class");
        return NULL;
    }
    if (slot_offset(cls, "tag", &off_tag) < 0 || slot_offset(cls, "elements", &off_elements) < 0
        || slot_offset(cls, "index", &off_index) < 0 || slot_offset(cls, "text", &off_text) < 0
        || slot_offset(cls, "_pos", &off_pos) < 0 || slot_offset(cls, "_lines", &off_lines) < 0) {
        return NULL;
    }
    if (empty_str == NULL && (empty_str = PyUnicode_New(0, 0)) == NULL) {
        return NULL;
    }
    if (install_method(cls, &get_def, &py_get) < 0
        || install_method(cls, &element_def, &py_element) < 0) {
        return NULL;
    }
    Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(cls));
    Py_RETURN_NONE;
}

/* Split ``raw[begin:end]`` into elements (lists of components), as
 * ``[p.split(comp) for p in raw[begin:end].split(elem)]`` does. */
static PyObject *
split_elements(PyObject *raw, int kind, const void *data, Py_ssize_t begin, Py_ssize_t end,
               Py_UCS4 elem, Py_UCS4 comp)
{
    PyObject *elements = PyList_New(0);
    PyObject *element = PyList_New(0);
    PyObject *value;
    Py_ssize_t i, from = begin;
    if (elements == NULL || element == NULL) {
        goto fail;
    }
    for (i = begin; i <= end; i++) {
        Py_UCS4 ch = i < end ? PyUnicode_READ(kind, data, i) : elem;
        if (ch != elem && ch != comp) {
            continue;
        }
        value = PyUnicode_Substring(raw, from, i);
        if (value == NULL || PyList_Append(element, value) < 0) {
            Py_XDECREF(value);
            goto fail;
        }
        Py_DECREF(value);
        from = i + 1;
        if (ch == elem) {
            if (PyList_Append(elements, element) < 0) {
                goto fail;
            }
            Py_DECREF(element);
            element = NULL;
            if (i < end && (element = PyList_New(0)) == NULL) {
                goto fail;
            }
        }
    }
    return elements;
fail:
    Py_XDECREF(element);
    Py_XDECREF(elements);
    return NULL;
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
        Py_UCS4 first = PyUnicode_READ(kind, data, 0);
        if (first == ' ' || first == '\t') {
            break;
        }
        Py_ssize_t i, tag_end = -1;
        int irregular = 0;
        for (i = 0; i < len; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch == '\n' || ch == '\r') {
                irregular = 1;
                break;
            }
            if (ch == elem && tag_end < 0) {
                tag_end = i;
            }
        }
        if (irregular) {
            break;
        }
        PyObject *tag = PyUnicode_Substring(raw, 0, tag_end < 0 ? len : tag_end);
        if (tag == NULL) {
            return NULL;
        }
        int known = PySet_Contains(valid, tag);
        if (known < 0) {
            Py_DECREF(tag);
            return NULL;
        }
        if (!known || PyUnicode_CompareWithASCIIString(tag, "UNZ") == 0) {
            Py_DECREF(tag);
            break;
        }
        PyObject *elements = tag_end < 0
            ? PyList_New(0)
            : split_elements(raw, kind, data, tag_end + 1, len, elem, comp);
        if (elements == NULL) {
            Py_DECREF(tag);
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
            return NULL;
        }
        if (limit < 0 || PyList_GET_SIZE(elements) > limit) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            break; /* too many elements: the Python loop looks for a missing terminator */
        }
        PyObject *index_obj = PyLong_FromSsize_t(index + 1);
        PyObject *pos_obj = PyLong_FromSsize_t(piece_no);
        PyObject *seg = segment_type->tp_alloc(segment_type, 0);
        if (index_obj == NULL || pos_obj == NULL || seg == NULL) {
            Py_DECREF(tag);
            Py_DECREF(elements);
            Py_XDECREF(index_obj);
            Py_XDECREF(pos_obj);
            Py_XDECREF(seg);
            return NULL;
        }
        SLOT(seg, off_tag) = tag;
        SLOT(seg, off_elements) = elements;
        SLOT(seg, off_index) = index_obj;
        SLOT(seg, off_text) = Py_NewRef(raw);
        SLOT(seg, off_pos) = pos_obj;
        SLOT(seg, off_lines) = Py_NewRef(lines);
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

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)configure, METH_O, "Record the slot layout of Segment."},
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
