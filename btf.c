/* btf.c - BTF and BTF.ext read by hand.
 *
 *   .BTF      header | types (12-byte btf_type + kind-specific tail) | strings
 *   .BTF.ext  header | func_info | line_info [| CO-RE relocations]
 *             (CO-RE: field byte offsets only, resolved by the caller)
 *             each info: u32 rec_size, then blocks of
 *             (u32 sec_name_off, u32 num_info, num_info records)
 *
 * Every length and offset is checked before use; .BTF is copied so that
 * the fix-ups can be written into it, and its types are indexed once, so
 * a lookup by id is an array access. Type references inside types are
 * checked where they are followed, with a bound on the depth, because a
 * file can make them loop. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

/* How deep typedefs, qualifiers and arrays may nest before we stop
 * following them: far more than C code makes, and a bound on loops. */
#define BTF_MAX_DEPTH 32

/* .BTF.ext, as the compiler writes it: not in the uapi headers. */
struct btf_ext_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t info[2][2];		/* func_info, line_info: offset, length past the header */
};

_Static_assert(sizeof(struct btf_ext_header) == sizeof(struct btf_header),
	       "btf_read_header reads both");

/* .BTF.ext's infos: func_info, line_info, and CO-RE relocations, whose
 * offset and length follow the header above when hdr_len covers them.
 * A CO-RE relocation is checked where it is used (btf_core_field). */
enum { BTF_EXT_FUNC, BTF_EXT_LINE, BTF_EXT_CORE, BTF_EXT_INFOS };

static int btf_fail(char *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, BTF_ERR_BYTES, fmt, ap);
	va_end(ap);
	return ret;
}

/* Bytes after the btf_type of each kind: fixed, and per vlen item.
 * Kinds not listed (PTR, FWD, TYPEDEF, the qualifiers, FUNC, FLOAT,
 * TYPE_TAG) have none. */
static const uint8_t btf_tails[BTF_KIND_ENUM64 + 1][2] = {
	[BTF_KIND_INT] = { sizeof(uint32_t), 0 },
	[BTF_KIND_VAR] = { sizeof(struct btf_var), 0 },
	[BTF_KIND_DECL_TAG] = { sizeof(struct btf_decl_tag), 0 },
	[BTF_KIND_ARRAY] = { sizeof(struct btf_array), 0 },
	[BTF_KIND_STRUCT] = { 0, sizeof(struct btf_member) },
	[BTF_KIND_UNION] = { 0, sizeof(struct btf_member) },
	[BTF_KIND_ENUM] = { 0, sizeof(struct btf_enum) },
	[BTF_KIND_FUNC_PROTO] = { 0, sizeof(struct btf_param) },
	[BTF_KIND_DATASEC] = { 0, sizeof(struct btf_var_secinfo) },
	[BTF_KIND_ENUM64] = { 0, sizeof(struct btf_enum64) },
};

/* Bytes after the btf_type of this kind, or -1 for a kind we do not know. */
static int64_t btf_tail_bytes(const struct btf_type *t)
{
	uint32_t kind = BTF_INFO_KIND(t->info);

	if (kind == BTF_KIND_UNKN || kind > BTF_KIND_ENUM64)
		return -1;
	return btf_tails[kind][0] + (int64_t)BTF_INFO_VLEN(t->info) * btf_tails[kind][1];
}

/* Walks the types and records where each starts. */
static int btf_walk(struct btf *b, uint32_t start, uint32_t len, char *err)
{
	uint32_t pos = 0, n = 1;
	struct btf_type *t;
	int64_t tail;

	while (pos < len) {
		if (len - pos < sizeof(*t))
			return btf_fail(err, -EINVAL, "BTF type %u cut short", n);
		t = (struct btf_type *)(b->data + start + pos);
		tail = btf_tail_bytes(t);
		if (tail < 0)
			return btf_fail(err, -EINVAL, "BTF type %u: unknown kind %u",
					n, BTF_INFO_KIND(t->info));
		if ((uint64_t)tail > len - pos - sizeof(*t))
			return btf_fail(err, -EINVAL, "BTF type %u runs past the types", n);
		b->type_off[n] = start + pos;
		pos += (uint32_t)(sizeof(*t) + tail);
		n++;
	}
	b->ntypes = n;
	return 0;
}

/* What .BTF and .BTF.ext start alike with (magic, version, header
 * length; their headers are the same size), copied into h and checked;
 * what names the section in the messages. */
static int btf_read_header(struct btf_header *h, const void *sec, size_t len, uint32_t align,
			   const char *what, char *err)
{
	if (len < sizeof(*h))
		return btf_fail(err, -EINVAL, "%s of %zu bytes has no header", what, len);
	memcpy(h, sec, sizeof(*h));
	if (h->magic != BTF_MAGIC)
		return btf_fail(err, -EINVAL, "%s magic 0x%x: %s", what, h->magic,
				h->magic == __builtin_bswap16(BTF_MAGIC) ?
				"written for the other byte order" : "not BTF");
	if (h->version != BTF_VERSION)
		return btf_fail(err, -EOPNOTSUPP, "%s version %u", what, h->version);
	if (h->hdr_len < sizeof(*h) || h->hdr_len > len || h->hdr_len % align)
		return btf_fail(err, -EINVAL, "%s header length %u", what, h->hdr_len);
	return 0;
}

int btf_parse(struct btf *b, const void *sec, size_t len, char *err)
{
	struct btf_header h;
	size_t rest;
	int ret;

	memset(b, 0, sizeof(*b));
	/* Types are read in place: 4-byte aligned in our copy. */
	ret = btf_read_header(&h, sec, len, 4, "BTF", err);
	if (ret)
		return ret;
	rest = len - h.hdr_len;
	if (h.type_off > rest || h.type_len > rest - h.type_off ||
	    h.str_off > rest || h.str_len > rest - h.str_off ||
	    h.type_off % 4 || h.type_len % 4)
		return btf_fail(err, -EINVAL, "BTF types or strings outside the section");
	b->str_off = h.hdr_len + h.str_off;
	b->str_len = h.str_len;
	if (!b->str_len || ((const char *)sec)[b->str_off] ||
	    ((const char *)sec)[b->str_off + b->str_len - 1])
		return btf_fail(err, -EINVAL, "BTF strings do not start and end with NUL");
	b->data = malloc(len);
	if (!b->data)
		return btf_fail(err, -ENOMEM, "out of memory for BTF");
	memcpy(b->data, sec, len);
	b->size_bytes = (uint32_t)len;
	/* Room for as many types as fit whole in type_len: one walk. */
	b->type_off = calloc(h.type_len / sizeof(struct btf_type) + 1, sizeof(*b->type_off));
	ret = b->type_off ? btf_walk(b, h.hdr_len + h.type_off, h.type_len, err) :
	      btf_fail(err, -ENOMEM, "out of memory for BTF");
	if (ret)
		btf_free(b);
	return ret;
}

void btf_free(struct btf *b)
{
	free(b->data);
	free(b->type_off);
	memset(b, 0, sizeof(*b));
}

struct btf_type *btf_type(const struct btf *b, uint32_t id)
{
	if (id == 0 || id >= b->ntypes)
		return NULL;
	return (struct btf_type *)(b->data + b->type_off[id]);
}

/* The strings end in NUL, so any offset inside them starts a string. */
const char *btf_name(const struct btf *b, uint32_t name_off)
{
	return name_off < b->str_len ? (const char *)b->data + b->str_off + name_off : NULL;
}

int btf_find(const struct btf *b, uint32_t kind, const char *name)
{
	const struct btf_type *t;
	const char *n;
	uint32_t id;

	for (id = 1; id < b->ntypes; id++) {
		t = btf_type(b, id);
		n = btf_name(b, t->name_off);
		if (BTF_INFO_KIND(t->info) == kind && n && strcmp(n, name) == 0)
			return (int)id;
	}
	return -ENOENT;
}

void btf_func_make_static(struct btf *b, const char *name)
{
	int id = btf_find(b, BTF_KIND_FUNC, name);
	struct btf_type *t = id > 0 ? btf_type(b, (uint32_t)id) : NULL;

	/* The linkage is the vlen part of a FUNC's info. */
	if (t && BTF_INFO_VLEN(t->info) == BTF_FUNC_GLOBAL)
		t->info = (t->info & ~(uint32_t)0xffff) | BTF_FUNC_STATIC;
}

struct btf_var_secinfo *btf_datasec_vars(const struct btf *b, uint32_t id, uint32_t *n)
{
	struct btf_type *t = btf_type(b, id);

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_DATASEC)
		return NULL;
	*n = BTF_INFO_VLEN(t->info);
	return (struct btf_var_secinfo *)(t + 1);
}

/* Insertion sort: clang writes the variables nearly in order, so this is
 * linear on real objects; on a hostile one the caller's bound on
 * variables bounds it. */
void btf_datasec_sort(struct btf *b, uint32_t id)
{
	struct btf_var_secinfo *v, tmp;
	uint32_t n, i, j;

	v = btf_datasec_vars(b, id, &n);
	for (i = 1; v && i < n; i++)
		for (j = i; j > 0 && v[j - 1].offset > v[j].offset; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

/* Past typedefs and qualifiers; NULL if the chain breaks or loops. */
static const struct btf_type *btf_skip_mods(const struct btf *b, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < BTF_MAX_DEPTH; depth++) {
		t = btf_type(b, id);
		if (!t)
			return NULL;
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return t;
		}
	}
	return NULL;
}

/* Size in bytes of a type, as the map's key or value; -EINVAL when it has
 * none or it does not fit in 32 bits. */
static int64_t btf_size(const struct btf *b, uint32_t id, int depth)
{
	const struct btf_type *t = btf_skip_mods(b, id);
	struct btf_array a;
	int64_t elem;

	if (!t || depth > BTF_MAX_DEPTH)
		return -EINVAL;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_FLOAT:
		return t->size;
	case BTF_KIND_PTR:
		return sizeof(uint64_t);
	case BTF_KIND_ARRAY:
		memcpy(&a, t + 1, sizeof(a));
		elem = btf_size(b, a.type, depth + 1);
		if (elem < 0 || (a.nelems && (uint64_t)elem > UINT32_MAX / a.nelems))
			return -EINVAL;
		return elem * a.nelems;
	default:
		return -EINVAL;
	}
}

/* "0:N", member N of the type itself: its index. One level only, and
 * no leading zeros, so that each member has one spelling. */
static int btf_core_access(const char *s, uint32_t *idx)
{
	uint32_t n = 0;

	if (!s || s[0] != '0' || s[1] != ':' || !s[2] || (s[2] == '0' && s[3]))
		return -EINVAL;
	/* Past UINT16_MAX it stops on a digit: no member has that index. */
	for (s += 2; *s >= '0' && *s <= '9' && n <= UINT16_MAX; s++)
		n = n * 10 + (uint32_t)(*s - '0');
	*idx = n;
	return *s ? -EINVAL : 0;
}

/* The member's place in whole bytes, where an instruction's 16-bit
 * offset can hold it, and its size; -EINVAL for a bitfield. */
static int btf_core_member(const struct btf *b, const struct btf_type *t, uint32_t idx,
			   struct btf_core_field *f)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1) + idx;
	int kflag = BTF_INFO_KFLAG(t->info);
	uint32_t bit = kflag ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
	int64_t size = btf_size(b, m->type, 0);

	f->member = btf_name(b, m->name_off);
	if (!f->member || !f->member[0] || (kflag && BTF_MEMBER_BITFIELD_SIZE(m->offset)) ||
	    bit % 8 || bit / 8 > INT16_MAX || size <= 0)
		return -EINVAL;
	f->off_bytes = bit / 8;
	f->size_bytes = (uint32_t)size;
	return 0;
}

int btf_core_field(const struct btf *b, const struct bpf_core_relo *r, struct btf_core_field *f,
		   char *err)
{
	const struct btf_type *t = btf_type(b, r->type_id);
	const char *access = btf_name(b, r->access_str_off);
	uint32_t kind = t ? BTF_INFO_KIND(t->info) : BTF_KIND_UNKN, idx;

	f->type_name = t ? btf_name(b, t->name_off) : NULL;
	if (r->kind != BPF_CORE_FIELD_BYTE_OFFSET ||
	    (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION) || !f->type_name ||
	    !f->type_name[0] || btf_core_access(access, &idx) || idx >= BTF_INFO_VLEN(t->info) ||
	    btf_core_member(b, t, idx, f))
		return btf_fail(err, r->kind == BPF_CORE_FIELD_BYTE_OFFSET ? -EINVAL : -EOPNOTSUPP,
				"CO-RE relocation at insn %u (kind %u, type %u, access \"%.16s\"): not a member's byte offset",
				r->insn_off, r->kind, r->type_id, access ? access : "?");
	return 0;
}

/* A member's value: written with __uint(name, N), a pointer to an array
 * of N; with __type(name, T) (is_type), a pointer to T, of T's size. */
static int btf_member_val(const struct btf *b, uint32_t type, int is_type, uint32_t *val)
{
	const struct btf_type *t = btf_skip_mods(b, type);
	struct btf_array a;
	int64_t size;

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	if (is_type) {
		size = btf_size(b, t->type, 0);
		*val = (uint32_t)size;
		return size < 0 ? -EINVAL : 0;
	}
	t = btf_skip_mods(b, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_ARRAY)
		return -EINVAL;
	memcpy(&a, t + 1, sizeof(a));
	*val = a.nelems;
	return 0;
}

/* Where the field called name goes in def, NULL for one we do not take;
 * key and value are written with __type, their sizes with __uint. */
static uint32_t *btf_map_field(struct btf_map_def *def, const char *name, int *is_type)
{
	*is_type = strcmp(name, "key") == 0 || strcmp(name, "value") == 0;
	if (strcmp(name, "type") == 0)
		return &def->type;
	if (strcmp(name, "max_entries") == 0)
		return &def->max_entries;
	if (strcmp(name, "map_flags") == 0)
		return &def->flags;
	if (strcmp(name, "key_size") == 0 || strcmp(name, "key") == 0)
		return &def->key_size;
	if (strcmp(name, "value_size") == 0 || strcmp(name, "value") == 0)
		return &def->value_size;
	if (strcmp(name, "pinning") == 0)
		return &def->pinning;
	if (strcmp(name, "numa_node") == 0)
		return &def->numa_node;
	return NULL;
}

/* map_extra is 64 bits: __uint(map_extra, N), or libbpf's __ulong, an
 * enum (or enum64) of one value. */
static int btf_map_extra(const struct btf *b, uint32_t type, uint64_t *val)
{
	const struct btf_type *t = btf_skip_mods(b, type);
	uint32_t v32, hi;
	int32_t e;

	if (t && BTF_INFO_KIND(t->info) == BTF_KIND_PTR) {
		*val = 0;
		if (btf_member_val(b, type, 0, &v32))
			return -EINVAL;
		*val = v32;
		return 0;
	}
	if (!t || BTF_INFO_VLEN(t->info) != 1)
		return -EINVAL;
	if (BTF_INFO_KIND(t->info) == BTF_KIND_ENUM) {
		memcpy(&e, (const uint8_t *)(t + 1) + 4, sizeof(e));
		*val = (uint64_t)(int64_t)e;
		return 0;
	}
	if (BTF_INFO_KIND(t->info) != BTF_KIND_ENUM64)
		return -EINVAL;
	memcpy(&v32, (const uint8_t *)(t + 1) + 4, sizeof(v32));
	memcpy(&hi, (const uint8_t *)(t + 1) + 8, sizeof(hi));
	*val = (uint64_t)hi << 32 | v32;
	return 0;
}

static int btf_map_member(const struct btf *b, const struct btf_member *m,
			  const char *name, struct btf_map_def *def)
{
	int is_type;
	uint32_t *val = btf_map_field(def, name, &is_type);

	return val ? btf_member_val(b, m->type, is_type, val) : -EOPNOTSUPP;
}

/* The VAR called name in DATASEC ".maps", past modifiers: its struct. */
static const struct btf_type *btf_map_struct(const struct btf *b, const char *name)
{
	const struct btf_var_secinfo *v;
	const struct btf_type *t;
	const char *n;
	int ds = btf_find(b, BTF_KIND_DATASEC, ".maps");
	uint32_t i, cnt = 0;

	v = ds > 0 ? btf_datasec_vars(b, (uint32_t)ds, &cnt) : NULL;
	for (i = 0; i < cnt; i++) {
		t = btf_type(b, v[i].type);
		if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_VAR)
			continue;
		n = btf_name(b, t->name_off);
		if (n && strcmp(n, name) == 0)
			return btf_skip_mods(b, t->type);
	}
	return NULL;
}

static int btf_map_fields(const struct btf *b, const struct btf_type *t, const char *name,
			  struct btf_map_def *def, int inner, char *err);

/* __array(values, T), last, as libbpf wants it: for a map of maps, T is
 * the struct of the maps its slots hold, which the kernel wants one of as
 * a template; for a prog array, a function prototype. Either way a value
 * is 4 bytes, an fd. Initial values would be relocations in .maps, which
 * elfload.c refuses. */
static int btf_map_values(const struct btf *b, const struct btf_member *m, uint32_t off_bits,
			  const char *name, struct btf_map_def *def, char *err)
{
	const struct btf_type *t = btf_skip_mods(b, m->type);
	int of_maps = def->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		      def->type == BPF_MAP_TYPE_HASH_OF_MAPS;
	uint32_t want = of_maps ? BTF_KIND_STRUCT : BTF_KIND_FUNC_PROTO;
	struct btf_map_def in;
	struct btf_array a;
	int ret;

	if (!of_maps && def->type != BPF_MAP_TYPE_PROG_ARRAY)
		return btf_fail(err, -EINVAL, "map %s: field 'values' is for maps of maps and prog arrays only", name);
	if (def->value_size && def->value_size != sizeof(uint32_t))
		return btf_fail(err, -EINVAL, "map %s: value size %u, but its values are fds (4 bytes)",
				name, def->value_size);
	def->value_size = sizeof(uint32_t);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_ARRAY)
		return btf_fail(err, -EINVAL, "map %s: field 'values' is not __array", name);
	memcpy(&a, t + 1, sizeof(a));
	t = btf_skip_mods(b, a.type);
	if (t && BTF_INFO_KIND(t->info) == BTF_KIND_PTR)
		t = btf_skip_mods(b, t->type);
	if (!t || BTF_INFO_KIND(t->info) != want)
		return btf_fail(err, -EINVAL, "map %s: field 'values' is not __array of %s", name,
				of_maps ? "a map struct" : "a function prototype");
	/* Initial values are relocations at 8-byte pointers from here. */
	if (off_bits % 64)
		return btf_fail(err, -EINVAL, "map %s: field 'values' at bit %u, not 8-byte aligned",
				name, off_bits);
	def->has_values = 1;
	def->values_off = off_bits / 8;
	if (!of_maps)
		return 0;
	ret = btf_map_fields(b, t, name, &in, 1, err);
	if (ret)
		return ret;
	if (in.map_extra || in.numa_node)
		return btf_fail(err, -EOPNOTSUPP, "map %s: inner map's map_extra or numa_node is not supported",
				name);
	def->inner.type = in.type;
	def->inner.key_size = in.key_size;
	def->inner.value_size = in.value_size;
	def->inner.max_entries = in.max_entries;
	def->inner.flags = in.flags;
	def->has_inner = 1;
	return 0;
}

/* The members of map struct t into def; inner for the maps a map of
 * maps holds, which have no values or pinning of their own. */
static int btf_map_fields(const struct btf *b, const struct btf_type *t, const char *name,
			  struct btf_map_def *def, int inner, char *err)
{
	const struct btf_member *m = (const struct btf_member *)(t + 1);
	const char *mn;
	uint32_t i;
	int ret;

	memset(def, 0, sizeof(*def));
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		mn = btf_name(b, m[i].name_off);
		if (!mn)
			return btf_fail(err, -EINVAL, "map %s: member %u has no name", name, i);
		if (!inner && strcmp(mn, "values") == 0)
			ret = btf_map_values(b, &m[i], BTF_INFO_KFLAG(t->info) ?
					     BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset,
					     name, def, err);
		else if (inner && strcmp(mn, "pinning") == 0)
			ret = -EOPNOTSUPP;
		else if (strcmp(mn, "map_extra") == 0)
			ret = btf_map_extra(b, m[i].type, &def->map_extra);
		else
			ret = btf_map_member(b, &m[i], mn, def);
		if (ret == -EOPNOTSUPP)
			return btf_fail(err, ret, "map %s: %sfield '%s' is not supported", name,
					inner ? "inner map's " : "", mn);
		if (ret && strcmp(mn, "values") != 0)
			return btf_fail(err, ret, "map %s: field '%s' is not __uint or __type", name, mn);
		if (ret)
			return ret;
	}
	return 0;
}

int btf_map_def(const struct btf *b, const char *name, struct btf_map_def *def,
		char *err)
{
	const struct btf_type *t = btf_map_struct(b, name);

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT) {
		memset(def, 0, sizeof(*def));
		return btf_fail(err, -EINVAL, "map %s: no struct for it in the BTF of .maps", name);
	}
	return btf_map_fields(b, t, name, def, 0, err);
}

static uint32_t btf_ext_insn_off(const uint8_t *recs, uint32_t rec_bytes, uint32_t i)
{
	uint32_t off;

	memcpy(&off, recs + (size_t)i * rec_bytes, sizeof(off));
	return off;
}

/* One block's records, which lookups search by halves: in order, and
 * each on an instruction, since linking counts them in instructions. */
static int btf_ext_block_sorted(const uint8_t *recs, uint32_t rec_bytes, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (btf_ext_insn_off(recs, rec_bytes, i) % sizeof(struct bpf_insn) ||
		    (i && btf_ext_insn_off(recs, rec_bytes, i) < btf_ext_insn_off(recs, rec_bytes, i - 1)))
			return 0;
	return 1;
}

/* One info section: its record size, then blocks that all fit, at most
 * one per section of the object. */
static int btf_ext_info_parse(struct btf_ext_info *info, const struct btf *b,
			      const uint8_t *p, uint32_t len, uint32_t min_rec,
			      char *err)
{
	uint32_t pos = sizeof(uint32_t), blk[2], nblocks = 0;

	memset(info, 0, sizeof(*info));
	if (len == 0)
		return 0;
	if (len < sizeof(uint32_t))
		return btf_fail(err, -EINVAL, ".BTF.ext: info of %u bytes", len);
	memcpy(&info->rec_bytes, p, sizeof(uint32_t));
	if (info->rec_bytes < min_rec || info->rec_bytes % 4)
		return btf_fail(err, -EINVAL, ".BTF.ext: record size %u", info->rec_bytes);
	while (pos < len) {
		if (len - pos < sizeof(blk) || ++nblocks > BTF_EXT_MAX_BLOCKS)
			return btf_fail(err, -EINVAL, ".BTF.ext: block header cut short, or over %d blocks",
					BTF_EXT_MAX_BLOCKS);
		memcpy(blk, p + pos, sizeof(blk));
		pos += sizeof(blk);
		if (!btf_name(b, blk[0]))
			return btf_fail(err, -EINVAL, ".BTF.ext: section name %u", blk[0]);
		if (blk[1] > (len - pos) / info->rec_bytes)
			return btf_fail(err, -EINVAL, ".BTF.ext: %u records past the end", blk[1]);
		if (!btf_ext_block_sorted(p + pos, info->rec_bytes, blk[1]))
			return btf_fail(err, -EINVAL, ".BTF.ext: records not in instruction order, or between instructions");
		pos += blk[1] * info->rec_bytes;
		info->nrecs += blk[1];
	}
	info->recs = p;
	info->len_bytes = len;
	return 0;
}

int btf_ext_parse(struct btf_ext *x, const struct btf *b, const void *sec, size_t len,
		  char *err)
{
	static const uint32_t min_rec[BTF_EXT_INFOS] = { sizeof(struct bpf_func_info),
							 sizeof(struct bpf_line_info),
							 sizeof(struct bpf_core_relo) };
	struct btf_ext_info *info[BTF_EXT_INFOS] = { &x->func, &x->line, &x->core };
	uint32_t at[BTF_EXT_INFOS][2] = { { 0 } };	/* offset past the header, length */
	const uint8_t *p = sec;
	struct btf_ext_header h;
	struct btf_header bh;
	int ret, k;
	size_t rest;

	memset(x, 0, sizeof(*x));
	ret = btf_read_header(&bh, sec, len, 1, ".BTF.ext", err);
	if (ret)
		return ret;
	memcpy(&h, &bh, sizeof(h));
	memcpy(at, h.info, sizeof(h.info));
	if (h.hdr_len >= sizeof(h) + sizeof(at[BTF_EXT_CORE]))
		memcpy(at[BTF_EXT_CORE], p + sizeof(h), sizeof(at[BTF_EXT_CORE]));
	rest = len - h.hdr_len;
	p += h.hdr_len;
	for (k = 0; !ret && k < BTF_EXT_INFOS; k++) {
		if (at[k][0] > rest || at[k][1] > rest - at[k][0])
			return btf_fail(err, -EINVAL, ".BTF.ext: info outside the section");
		ret = btf_ext_info_parse(info[k], b, p + at[k][0], at[k][1], min_rec[k], err);
	}
	return ret;
}

/* The next block of info at *pos named sec_name: its records, or NULL. */
static const uint8_t *btf_ext_block(const struct btf_ext_info *info, const struct btf *b,
				    const char *sec_name, uint32_t *pos, uint32_t *n)
{
	const uint8_t *recs;
	uint32_t blk[2];
	const char *name;

	while (info->recs && *pos < info->len_bytes) {
		memcpy(blk, info->recs + *pos, sizeof(blk));
		recs = info->recs + *pos + sizeof(blk);
		*pos += sizeof(blk) + blk[1] * info->rec_bytes;
		name = btf_name(b, blk[0]);
		if (name && strcmp(name, sec_name) == 0) {
			*n = blk[1];
			return recs;
		}
	}
	return NULL;
}

/* The first of n records whose insn_off is at least off_bytes. */
static uint32_t btf_ext_lower(const uint8_t *recs, uint32_t rec_bytes, uint32_t n,
			      uint32_t off_bytes)
{
	uint32_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (btf_ext_insn_off(recs, rec_bytes, mid) < off_bytes)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void btf_ext_copy(const struct btf_ext_info *info, const struct btf *b, const char *sec_name,
		  uint32_t lo_bytes, uint32_t hi_bytes, uint32_t base_insn,
		  void *out, uint32_t out_rec_bytes, uint32_t *n, uint32_t cap)
{
	const uint8_t *recs;
	uint32_t pos = sizeof(uint32_t), cnt, i, off;
	uint8_t *dst;

	while ((recs = btf_ext_block(info, b, sec_name, &pos, &cnt))) {
		for (i = btf_ext_lower(recs, info->rec_bytes, cnt, lo_bytes); i < cnt && *n < cap; i++) {
			off = btf_ext_insn_off(recs, info->rec_bytes, i);
			if (off >= hi_bytes)
				break;
			/* Parsing made sure a record holds at least what we copy. */
			dst = (uint8_t *)out + (size_t)(*n)++ * out_rec_bytes;
			memcpy(dst, recs + (size_t)i * info->rec_bytes, out_rec_bytes);
			off = base_insn + (off - lo_bytes) / sizeof(struct bpf_insn);
			memcpy(dst, &off, sizeof(off));
		}
	}
}
