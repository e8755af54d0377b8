/*
 * materialize.c - a Landlock plan on this host: carving denies out of
 * allows (spec/backends/landlock.md, "Carving").
 *
 * A Landlock rule on a directory grants its rights to everything below it,
 * so a right that is denied somewhere below a directory may not be granted
 * on the directory itself.  Walking down from "/", each node N on the way
 * to the policy's paths gets the rights that hold on all of N's subtree
 * (and are not inherited already); when that is less than what N's
 * children may have, N is *carved*: its entries are listed and each entry
 * not on the way to a deeper rule gets its own rule with what it may have.
 * Only directories that need it are read.  Entries that are symbolic links
 * get no rule (access is checked where the link leads), and rules made for
 * listed entries never follow links, so a link cannot smuggle a grant onto
 * a denied tree.  Paths that do not exist grant nothing and are reported.
 * Rights are computed by ll_rights_in(), decide() at the level of rights,
 * so the kernel's answers and the IR's agree.
 *
 * Landlock rules attach to inodes, not names.  Where a policy path goes
 * through a symbolic link (/bin → usr/bin on merged-/usr systems, a home
 * whose ~/.config is a link to a dotfiles checkout), two names reach one
 * inode, and grants made under one name would apply under the other.  So
 * every rule path is first made canonical (its symbolic links resolved)
 * and the walk happens in that space: a deny written on either name
 * applies to the file, and a directory is carved once, not once per name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "backends/landlock/landlock.h"
#include "common/ctx.h"
#include "common/diag.h"
#include "common/hash.h"

struct materializer {
	struct polc_ctx *ctx;
	const struct ll_plan *plan;
	struct ll_ruleset *rs;
	bool report;		/* fill rs->report */
	struct ir_policy canon; /* the linux rules, canonical paths, sorted */
	const char **paths;	/* their paths, unique */
	size_t npaths;
	struct canon_entry *cache; /* names made canonical: a hash table */
	size_t ncache, cache_cap;  /* entries, slots (a power of two) */
	struct dir_names *dirs;	   /* directories names were missing in */
	size_t ndirs, cdirs;
	/* The directory names_of() found last, and 1 + its index in dirs:
	 * rules come sorted, so lookups in one directory come together. */
	const char *last_dir;
	uint32_t last_index;
	/* The parent canonical_at() resolved last, as written (@parent_len
	 * bytes at @parent_of), and what it resolved to: sorted rules come in
	 * runs of siblings, which skip the parent's hashing and lookup. */
	const char *parent_of, *parent_canonical;
	size_t parent_len;
	mode_t parent_mode;
};

struct canon_entry {
	const char *path; /* NULL: an empty slot */
	uint64_t hash;	  /* of @path */
	const char *canonical;
	uint32_t len; /* of @path */
	mode_t mode;  /* of @canonical, from lstat; 0 when it does not exist */
	/* For a canonical directory: 1 + its index in dirs, or 0. */
	uint32_t dir;
	/* For a directory: whether cannot_appear() found that the sandbox
	 * can create entries in it; 0 not yet asked, 1 yes, -1 no. */
	signed char creatable;
};

/*
 * The names in a directory, read once many lookups in it have come back
 * empty-handed (a home holds few of the ~100 secrets the stdlib denies):
 * a name that is not among them is missing without an lstat of its own.
 * Names that are there are still looked up, so their answer is lstat's.
 */
struct dir_names {
	unsigned lookups, misses; /* by lstat; misses found nothing */
	signed char state;	  /* 0 not read; 1 read; -1 not to be read */
	const char **names;	  /* the names, sorted */
	size_t nnames;
};

static mode_t path_mode(struct materializer *m, const char *path);

static uint64_t rights(struct materializer *m, const char *path)
{
	return ll_rights_in(&m->canon, m->plan->handled_fs, path);
}

static void emit(struct materializer *m, const char *path, uint64_t rights,
		 bool nofollow, bool dir)
{
	struct ll_fs_rule *r =
		arena_array_push(&m->ctx->arena, (void **)&m->rs->rules,
				 &m->rs->nrules, &m->rs->crules, sizeof(*r));

	r->path = path;
	r->rights = dir ? rights : rights & LL_FILE_RIGHTS;
	r->nofollow = nofollow;
	r->dir = dir;
}

/* Add an item to the report; none (NULL) when no report is wanted:
 * polc run prints none, and formatting them was a tenth of its
 * materialising. */
__attribute__((format(printf, 3, 4))) static struct ll_report_item *
report(struct materializer *m, enum ll_report_kind kind, const char *fmt, ...)
{
	if (!m->report)
		return NULL;
	struct ll_report_item *it =
		arena_array_push(&m->ctx->arena, (void **)&m->rs->report,
				 &m->rs->nreport, &m->rs->creport, sizeof(*it));
	va_list ap;

	va_start(ap, fmt);
	it->kind = kind;
	it->text = arena_vprintf(&m->ctx->arena, fmt, ap);
	va_end(ap);
	return it;
}

/* dir/name (@len bytes of it), without formatting: materialising joins
 * every rule's parents. */
static const char *join_n(struct polc_ctx *ctx, const char *dir,
			  const char *name, size_t lname)
{
	size_t ldir = strcmp(dir, "/") ? strlen(dir) : 0;
	char *p = arena_alloc(&ctx->arena, ldir + 1 + lname + 1);

	/* Out of memory, p may be the scratch block @dir lives in too. */
	if (!p || arena_failed(&ctx->arena))
		return "";
	memcpy(p, dir, ldir);
	p[ldir] = '/';
	memcpy(p + ldir + 1, name, lname);
	p[ldir + 1 + lname] = '\0';
	return p;
}

static const char *join(struct polc_ctx *ctx, const char *dir, const char *name)
{
	return join_n(ctx, dir, name, strlen(name));
}

/* Whether @path is @dir or lies below it. */
static bool within(const char *dir, const char *path)
{
	return ir_path_covers(dir, false, path);
}

/* The rights held by a name below @dir that no rule names. */
static uint64_t child_rights(struct materializer *m, const char *dir)
{
	return rights(m, join(m->ctx, dir, "\001"));
}

/* Indexes [*first, *last) of m->paths strictly below @dir. */
static void below(struct materializer *m, const char *dir, size_t *first,
		  size_t *last)
{
	size_t lo = 0, hi = m->npaths;

	/* Sorted by strcmp: paths below dir form one run after dir. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->paths[mid], dir) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < m->npaths && strcmp(m->paths[lo], dir) > 0 &&
	       (within(dir, m->paths[lo]) ||
		/* "/a-b" sorts between "/a" and "/a/b": skip past it. */
		strncmp(m->paths[lo], dir, strlen(dir)) == 0))
		lo++;
	*last = lo;
}

static void visit(struct materializer *m, const char *path, uint64_t inherited);

/* N needs no carving: its deeper rules only add, visit the nearest ones. */
static void visit_nearest(struct materializer *m, const char *path,
			  size_t first, size_t last, uint64_t inherited)
{
	const char *taken = NULL;

	for (size_t i = first; i < last; i++) {
		if (!within(path, m->paths[i]) || !strcmp(path, m->paths[i]))
			continue;
		if (taken && within(taken, m->paths[i]))
			continue;
		taken = m->paths[i];
		visit(m, taken, inherited);
	}
}

/* Whether a rule path is @path or lies below it: a binary search, since
 * the paths that start with @path are one run of the sorted list. */
static bool leads_to_rule(struct materializer *m, const char *path)
{
	size_t lo = 0, hi = m->npaths, len = strlen(path);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->paths[mid], path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->npaths && !strncmp(m->paths[lo], path, len); lo++)
		if (m->paths[lo][len] == '\0' || m->paths[lo][len] == '/')
			return true;
	return false;
}

/*
 * List N's entries: each on the way to a deeper rule is visited; each other
 * gets @kids, what a name below N that no rule names may have (an entry
 * that is not on the way to a rule is exactly such a name), unless it is a
 * symbolic link.  readdir's d_type saves an lstat where the filesystem
 * gives it.
 */
static void carve(struct materializer *m, const char *path, uint64_t kids,
		  uint64_t inherited)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t plen = strlen(path);
	char buf[PATH_MAX];

	if (!d) {
		report(m, LL_REPORT_SKIPPED,
		       "%s: cannot list it to carve (%s); its "
		       "entries get no rule",
		       path, strerror(errno));
		return;
	}
	uint64_t r = kids & ~inherited;
	while ((e = readdir(d))) {
		size_t nlen = strlen(e->d_name);
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    plen + nlen + 2 > sizeof(buf))
			continue;
		/* "/" + name, or path + "/" + name. */
		size_t at = plen > 1 ? plen + 1 : plen;
		memcpy(buf, path, plen);
		buf[at - 1] = '/';
		memcpy(buf + at, e->d_name, nlen + 1);
		if (leads_to_rule(m, buf)) {
			visit(m, arena_strdup(&m->ctx->arena, buf), inherited);
			continue;
		}
		if (!r)
			continue;
		unsigned char type = e->d_type;
		if (type == DT_UNKNOWN) {
			if (lstat(buf, &st) != 0)
				continue;
			type = S_ISLNK(st.st_mode)   ? DT_LNK
			       : S_ISDIR(st.st_mode) ? DT_DIR
						     : DT_REG;
		}
		if (type == DT_LNK)
			continue;
		emit(m, arena_strdup(&m->ctx->arena, buf), r, true,
		     type == DT_DIR);
	}
	closedir(d);
}

static void visit(struct materializer *m, const char *path, uint64_t inherited)
{
	size_t first, last;
	uint64_t here = rights(m, path);

	/* Canonical paths hold no links but dangling ones: lstat is stat. */
	mode_t mode = path_mode(m, path);
	if (!mode || S_ISLNK(mode)) {
		/* Nothing to attach a rule to: skipped, so denied. */
		if (here & ~inherited)
			report(m, LL_REPORT_SKIPPED,
			       "%s: does not exist; its rule "
			       "grants nothing",
			       path);
		return;
	}
	if (!S_ISDIR(mode)) {
		if (here & LL_FILE_RIGHTS & ~inherited)
			emit(m, path, here & ~inherited, false, false);
		return;
	}
	below(m, path, &first, &last);
	uint64_t kids = child_rights(m, path);
	/* What holds on N and everywhere below it. */
	uint64_t uniform = here & kids;
	for (size_t i = first; i < last; i++)
		if (within(path, m->paths[i]))
			uniform &= rights(m, m->paths[i]) &
				   child_rights(m, m->paths[i]);
	uint64_t grant = uniform & ~inherited;
	if (grant)
		emit(m, path, grant, false, true);
	inherited |= grant;
	if ((kids & ~inherited) == 0 && (here & ~inherited) == 0) {
		visit_nearest(m, path, first, last, inherited);
		return;
	}
	carve(m, path, kids, inherited);
	if (here & ~inherited) {
		struct ll_report_item *it =
			report(m, LL_REPORT_CARVE,
			       "%s itself lacks %s, which a rule below "
			       "it denies",
			       path, ll_rights_text(m->ctx, here & ~inherited));
		if (it) {
			it->path = path;
			it->rights = here & ~inherited;
		}
	}
	if (kids & ~inherited)
		report(m, LL_REPORT_CARVE,
		       "%s: entries created in it after the "
		       "sandbox starts lack %s",
		       path, ll_rights_text(m->ctx, kids & ~inherited));
}

/* The slot of the @n bytes at @path (hashed @h): its entry, or the empty
 * slot for it.  Keys have lengths, so a parent is looked up in place. */
static struct canon_entry *slot_for(struct materializer *m, const char *path,
				    size_t n, uint64_t h)
{
	size_t mask = m->cache_cap - 1, i = h & mask;

	while (m->cache[i].path &&
	       (m->cache[i].hash != h || m->cache[i].len != n ||
		memcmp(m->cache[i].path, path, n)))
		i = (i + 1) & mask;
	return &m->cache[i];
}

/* The entry of the @n bytes at @path (hashed @h), or NULL. */
static struct canon_entry *cache_find(struct materializer *m, const char *path,
				      size_t n, uint64_t h)
{
	struct canon_entry *e = m->cache_cap ? slot_for(m, path, n, h) : NULL;

	return e && e->path ? e : NULL;
}

/* Remember @path (@n bytes, hashed @h, stored as it is). */
static void cache_put(struct materializer *m, const char *path, size_t n,
		      uint64_t h, const char *canonical, mode_t mode)
{
	/* Grow at half full, rehashing into a table twice the size. */
	if (2 * (m->ncache + 1) > m->cache_cap) {
		struct canon_entry *old = m->cache;
		size_t old_cap = m->cache_cap;
		struct canon_entry *grown = arena_alloc(
			&m->ctx->arena,
			(old_cap ? old_cap * 2 : 256) * sizeof(*grown));

		if (!grown)
			return;
		m->cache = grown;
		m->cache_cap = old_cap ? old_cap * 2 : 256;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].path)
				*slot_for(m, old[i].path, old[i].len,
					  old[i].hash) = old[i];
	}
	struct canon_entry *slot = slot_for(m, path, n, h);
	if (!slot->path)
		m->ncache++;
	slot->path = path;
	slot->len = n;
	slot->hash = h;
	slot->canonical = canonical;
	slot->mode = mode;
}

/*
 * A directory is read once this many lookups in it found nothing, and
 * three in four of all its lookups did (most of the policy's names are
 * absent there: a home, not /usr/bin with its denied tools), and only
 * when it is small (one ext4 block, up to ~150 entries): reading costs
 * about half an lstat per entry, and a larger ext4 directory is read
 * whole at the first call.
 */
enum { LIST_AFTER_MISSES = 8, LIST_MAX_SIZE = 4096 };

/*
 * Whether the names a listing of the directory @fd gives are exactly the
 * names a lookup in it finds.  Not so where names fold case (ext4 and
 * tmpfs directories marked casefold, vfat, xfs with ascii-ci), have short
 * aliases (vfat) or come from a server or a daemon (NFS, FUSE): a listing
 * there could miss a name that lstat finds, and a deny on it would be
 * dropped.  So only ext4, tmpfs and btrfs, without casefold.
 */
static bool listing_is_exact(int fd)
{
	struct statfs fs;
	int flags = 0; /* FS_IOC_GETFLAGS reads and writes an int */

	if (fstatfs(fd, &fs) != 0 ||
	    (fs.f_type != EXT4_SUPER_MAGIC && fs.f_type != TMPFS_MAGIC &&
	     fs.f_type != BTRFS_SUPER_MAGIC))
		return false;
	return ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
	       !(flags & FS_CASEFOLD_FL);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether @d's names hold the @len bytes at @name. */
static bool has_name(const struct dir_names *d, const char *name, size_t len)
{
	size_t lo = 0, hi = d->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(d->names[mid], name, len);

		if (!c && d->names[mid][len])
			c = 1; /* longer: after @name */
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Read the names of the canonical directory @dir into @d, or mark it as
 * one not to be read. */
static void read_names(struct materializer *m, const char *dir,
		       struct dir_names *d)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	struct ptrvec names = { 0 };
	char buf[2 * LIST_MAX_SIZE] __attribute__((aligned(8)));
	ssize_t got = -1;

	d->state = -1;
	if (fd < 0)
		return;
	if (listing_is_exact(fd) && fstat(fd, &st) == 0 &&
	    st.st_size <= LIST_MAX_SIZE)
		while ((got = getdents64(fd, buf, sizeof(buf))) > 0)
			for (ssize_t at = 0; at < got;) {
				const struct dirent64 *e =
					(const void *)(buf + at);

				at += e->d_reclen;
				if (strcmp(e->d_name, ".") &&
				    strcmp(e->d_name, ".."))
					ptrvec_push(&m->ctx->arena, &names,
						    arena_strdup(&m->ctx->arena,
								 e->d_name));
			}
	close(fd);
	/* Not read to the end (or out of memory): looked up name by name. */
	if (got != 0 || arena_failed(&m->ctx->arena))
		return;
	if (names.len)
		qsort(names.items, names.len, sizeof(*names.items), name_cmp);
	d->names = (const char **)names.items;
	d->nnames = names.len;
	d->state = 1;
}

/* The dir_names of the canonical directory @dir (NULL: none kept). */
static struct dir_names *names_of(struct materializer *m, const char *dir)
{
	if (dir == m->last_dir)
		return &m->dirs[m->last_index - 1];
	size_t n = strlen(dir);
	struct canon_entry *e = cache_find(m, dir, n, polc_hash(dir, n));

	if (!e)
		return NULL;
	if (!e->dir) {
		struct dir_names *d =
			arena_array_push(&m->ctx->arena, (void **)&m->dirs,
					 &m->ndirs, &m->cdirs, sizeof(*d));

		/* Out of memory, d is scratch and m->dirs unchanged. */
		if (!d || arena_failed(&m->ctx->arena))
			return NULL;
		e->dir = (uint32_t)m->ndirs;
	}
	m->last_dir = dir;
	m->last_index = e->dir;
	return &m->dirs[e->dir - 1];
}

/*
 * lstat's idea of the type of @path (0: missing), the entry @name (@len
 * bytes) of the canonical directory @dir.
 */
static mode_t entry_mode(struct materializer *m, const char *dir,
			 const char *path, const char *name, size_t len)
{
	struct dir_names *d = names_of(m, dir);
	struct stat st;

	if (d && d->state > 0 && !has_name(d, name, len))
		return 0;
	if (d)
		d->lookups++;
	if (lstat(path, &st) == 0)
		return st.st_mode;
	if (d && errno == ENOENT && !d->state &&
	    ++d->misses >= LIST_AFTER_MISSES && 4 * d->misses >= 3 * d->lookups)
		read_names(m, dir, d);
	return 0;
}

/* lstat's idea of @path's type (0: missing), asked once per path. */
static mode_t path_mode(struct materializer *m, const char *path)
{
	size_t n = strlen(path);
	uint64_t h = polc_hash(path, n);
	const struct canon_entry *hit = cache_find(m, path, n, h);
	struct stat st;

	if (hit)
		return !strcmp(hit->canonical, path)
			       ? hit->mode
			       : path_mode(m, hit->canonical);
	mode_t mode = lstat(path, &st) == 0 ? st.st_mode : 0;
	cache_put(m, path, n, h, path, mode);
	return mode;
}

static const char *canonical_at(struct materializer *m, const char *path,
				size_t n, unsigned depth, mode_t *mode);

/* Links followed within one name before giving up, as the kernel does. */
enum { FOLLOW_MAX = 40 };

/*
 * Where the symbolic link @link (in the canonical directory @dir) leads,
 * made canonical; NULL when it leads nowhere that exists (dangling, a
 * loop, through a file), as realpath(3) would fail.  Each name of the
 * target is resolved through the cache, so the parents that many rule
 * paths share are looked up once, not once per link.
 */
static const char *follow(struct materializer *m, const char *link,
			  const char *dir, unsigned depth)
{
	char target[PATH_MAX];
	ssize_t n = depth < FOLLOW_MAX
			    ? readlink(link, target, sizeof(target) - 1)
			    : -1;
	char *save = NULL;
	mode_t mode;

	if (n < 0)
		return NULL;
	target[n] = '\0';
	const char *at = target[0] == '/' ? "/" : dir;
	for (char *name = strtok_r(target, "/", &save); name;
	     name = strtok_r(NULL, "/", &save)) {
		if (!S_ISDIR(path_mode(m, at)))
			return NULL;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			/* at is canonical: its parent is lexical. */
			const char *slash = strrchr(at, '/');
			at = slash == at ? "/"
					 : arena_strndup(&m->ctx->arena, at,
							 (size_t)(slash - at));
			continue;
		}
		const char *next = join(m->ctx, at, name);
		at = canonical_at(m, next, strlen(next), depth + 1, &mode);
	}
	mode = path_mode(m, at);
	return mode && !S_ISLNK(mode) ? at : NULL;
}

/*
 * The first @n bytes of @path with its symbolic links resolved, and in
 * *@mode the type of what that names (0: nothing): its parent made
 * canonical (and remembered: rule paths share most of their parents, which
 * are looked up in place), then the last name followed if it is a link.
 * Names that do not exist stay as they are.
 */
static const char *canonical_at(struct materializer *m, const char *path,
				size_t n, unsigned depth, mode_t *mode)
{
	const char *slash = n ? memrchr(path, '/', n) : NULL;

	if (!slash || n == 1) {
		const char *whole =
			n == 1 && path[0] == '/'
				? "/"
				: arena_strndup(&m->ctx->arena, path, n);
		*mode = path_mode(m, whole);
		return whole;
	}
	uint64_t h = polc_hash(path, n);
	const struct canon_entry *hit = cache_find(m, path, n, h);
	if (hit) {
		*mode = hit->mode;
		return hit->canonical;
	}
	mode_t parent_mode = S_IFDIR;
	size_t nlen = n - (size_t)(slash + 1 - path);
	size_t plen = slash == path ? 0 : (size_t)(slash - path);
	const char *parent = "/";
	if (plen && plen == m->parent_len &&
	    !memcmp(path, m->parent_of, plen)) {
		parent = m->parent_canonical;
		parent_mode = m->parent_mode;
	} else if (plen) {
		parent = canonical_at(m, path, plen, depth, &parent_mode);
		m->parent_of = path;
		m->parent_len = plen;
		m->parent_canonical = parent;
		m->parent_mode = parent_mode;
	}
	/* Most names lie in a parent that is canonical as written: then the
	 * whole of @path is the name in the canonical parent, as it is. */
	const char *joined = path[n] == '\0' && !strncmp(parent, path, plen) &&
					     parent[plen] == '\0'
				     ? path
				     : join_n(m->ctx, parent, slash + 1, nlen);
	size_t jlen = strlen(joined);
	uint64_t jh = 0;
	/* Through a linked parent (/sbin/halt): the name in the canonical
	 * parent (/usr/sbin/halt) may have been made canonical already. */
	if (jlen != n || memcmp(joined, path, n)) {
		jh = polc_hash(joined, jlen);
		hit = cache_find(m, joined, jlen, jh);
		if (hit) {
			const char *result = hit->canonical;

			*mode = hit->mode;
			cache_put(m, arena_strndup(&m->ctx->arena, path, n), n,
				  h, result, *mode);
			return result;
		}
	}
	const char *result = joined;
	/* Under a missing name or a file nothing exists: no lstat needed. */
	*mode = S_ISDIR(parent_mode)
			? entry_mode(m, parent, joined, slash + 1, nlen)
			: 0;
	if (S_ISLNK(*mode)) {
		const char *to = follow(m, joined, parent, depth);

		if (to) {
			result = to;
			*mode = path_mode(m, to);
		}
	}
	size_t rlen = strlen(result);
	bool same = rlen == n && !memcmp(result, path, n);
	cache_put(m, same ? result : arena_strndup(&m->ctx->arena, path, n), n,
		  h, result, *mode);
	if (jh && result != joined)
		cache_put(m, joined, jlen, jh, result, *mode);
	if (!same)
		cache_put(m, result, rlen, polc_hash(result, rlen), result,
			  *mode);
	return result;
}

static const char *canonical(struct materializer *m, const char *path,
			     mode_t *mode)
{
	return canonical_at(m, path, strlen(path), 0, mode);
}

static int index_path_cmp(const void *a, const void *b, void *arg)
{
	const struct ir_path_rule *rules = arg;

	return strcmp(rules[*(const size_t *)a].path,
		      rules[*(const size_t *)b].path);
}

/*
 * Into @order, the indexes of @rules (@n of them) by path.  @rules came
 * sorted by the paths as written, and a path a link did not change (not
 * @moved) keeps its place among the others: only the moved ones (through
 * /bin, /lib, /sbin…, a few dozen) are sorted, then merged in.
 */
static void canonical_order(struct materializer *m,
			    const struct ir_path_rule *rules, const bool *moved,
			    size_t n, size_t *order)
{
	size_t *away = arena_alloc(&m->ctx->arena, (n + 1) * sizeof(*away));
	size_t nstay = 0, naway = 0;

	if (!away || arena_failed(&m->ctx->arena))
		return; /* ll_materialize() fails */
	/* The rules that stay, in order, at the front of @order for now. */
	for (size_t i = 0; i < n; i++) {
		if (moved[i])
			away[naway++] = i;
		else
			order[nstay++] = i;
	}
	if (naway)
		qsort_r(away, naway, sizeof(*away), index_path_cmp,
			(void *)rules);
	/* Merge from the back, so the stay run is read before overwritten. */
	for (size_t out = n; naway;) {
		if (nstay && strcmp(rules[order[nstay - 1]].path,
				    rules[away[naway - 1]].path) > 0)
			order[--out] = order[--nstay];
		else
			order[--out] = away[--naway];
	}
}

/*
 * A deny of writing, deleting or executing only, on a path that exists
 * and is not a device tree: bind mounts (read-only, noexec) can enforce
 * it instead of carving.
 */
static bool mountable(const struct ir_path_rule *r, const char *path,
		      mode_t mode)
{
	return r->verdict == IR_DENY && r->modes && mode && !S_ISLNK(mode) &&
	       !(r->modes & ~(IR_WRITE | IR_DELETE | IR_EXEC)) &&
	       !ir_path_covers("/dev", false, path) &&
	       !ir_path_covers("/proc", false, path) &&
	       !ir_path_covers("/sys", false, path);
}

static void add_mount(struct materializer *m, const char *path, unsigned modes,
		      bool dir)
{
	struct ll_ruleset *rs = m->rs;
	struct ll_mount *mt = NULL;

	for (size_t i = 0; i < rs->nmounts && !mt; i++)
		if (!strcmp(rs->mounts[i].path, path))
			mt = &rs->mounts[i];
	if (!mt) {
		mt = arena_array_push(&m->ctx->arena, (void **)&rs->mounts,
				      &rs->nmounts, &rs->cmounts, sizeof(*mt));
		mt->path = path;
		mt->dir = dir;
	}
	mt->read_only |= (modes & (IR_WRITE | IR_DELETE)) != 0;
	mt->noexec |= (modes & IR_EXEC) != 0;
}

static int mount_path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ll_mount *)a)->path,
		      ((const struct ll_mount *)b)->path);
}

/*
 * A mount holds the inode it is made on, not the name: were a directory
 * above it renamed, a new directory could take its name and the denied
 * path would be writable again (mv .git .old; mkdir -p .git/hooks).  So
 * each ancestor of a mount that the sandbox may remove from its parent
 * (@rules grant remove_dir there) is pinned, bind-mounted onto itself
 * with its rights unchanged: a mount point cannot be renamed or removed
 * (EBUSY).  Sorted by path, ancestors come first, so the mounts below a
 * pin are made inside it.
 */
static void pin_ancestors(struct materializer *m, const struct ir_policy *rules)
{
	size_t nmounts = m->rs->nmounts;

	for (size_t i = 0; i < nmounts; i++) {
		const char *dir = m->rs->mounts[i].path;
		const char *slash;

		while ((slash = strrchr(dir, '/')) && slash != dir) {
			dir = arena_strndup(&m->ctx->arena, dir,
					    (size_t)(slash - dir));
			const char *up = strrchr(dir, '/');
			const char *parent =
				up == dir ? "/"
					  : arena_strndup(&m->ctx->arena, dir,
							  (size_t)(up - dir));

			if (ll_rights_in(rules, m->plan->handled_fs, parent) &
			    LL_FS_REMOVE_DIR)
				add_mount(m, dir, 0, true);
		}
	}
	if (m->rs->nmounts)
		qsort(m->rs->mounts, m->rs->nmounts, sizeof(*m->rs->mounts),
		      mount_path_cmp);
}

static void report_mounts(struct materializer *m)
{
	for (size_t i = 0; i < m->rs->nmounts; i++) {
		const struct ll_mount *mt = &m->rs->mounts[i];

		if (!mt->read_only && !mt->noexec) {
			report(m, LL_REPORT_NOTE,
			       "%s: pinned by a mount: it cannot "
			       "be renamed or removed, so the "
			       "mounts below it keep their names",
			       mt->path);
			continue;
		}
		report(m, LL_REPORT_NOTE,
		       "%s: mounted %s%s%s: denied by the mount, "
		       "so nothing above it is carved for it",
		       mt->path, mt->read_only ? "read-only" : "",
		       mt->read_only && mt->noexec ? " and " : "",
		       mt->noexec ? "noexec" : "");
	}
}

/* Rights to create an entry, one way or another (rename and link too). */
#define MAKE_RIGHTS                                                           \
	(LL_FS_MAKE_REG | LL_FS_MAKE_DIR | LL_FS_MAKE_SYM | LL_FS_MAKE_SOCK | \
	 LL_FS_MAKE_FIFO | LL_FS_MAKE_CHAR | LL_FS_MAKE_BLOCK)

/*
 * Whether @path does not exist and nothing in the sandbox can make it:
 * its nearest existing ancestor grants no right to create entries (with
 * the rules of @rules).  A deny on such a path can never match an inode.
 */
static bool cannot_appear(struct materializer *m, const struct ir_policy *rules,
			  const char *path, mode_t mode)
{
	size_t n = strlen(path);
	struct canon_entry *e;
	mode_t found;

	if (mode)
		return false;
	/* The nearest existing ancestor.  @path is canonical, so are its
	 * ancestors, and making it so met each: they are found in place. */
	do {
		const char *slash = memrchr(path, '/', n);

		if (!slash)
			return false;
		n = slash == path ? 1 : (size_t)(slash - path);
		e = cache_find(m, path, n, polc_hash(path, n));
		if (e && !strncmp(e->canonical, path, n) &&
		    e->canonical[n] == '\0')
			found = e->mode;
		else
			found = path_mode(m,
					  n == 1 ? "/"
						 : arena_strndup(&m->ctx->arena,
								 path, n));
	} while (!found && n > 1);
	/* Denied paths share their nearest existing ancestor (most lie in
	 * a home that lacks them): ask once per directory. */
	e = cache_find(m, path, n, polc_hash(path, n));
	if (e && e->creatable)
		return e->creatable < 0;
	const char *dir = n == 1 ? "/" : arena_strndup(&m->ctx->arena, path, n);
	bool creatable = ll_rights_in(rules, m->plan->handled_fs,
				      join(m->ctx, dir, "\001")) &
			 MAKE_RIGHTS;
	if (e)
		e->creatable = creatable ? 1 : -1;
	return !creatable;
}

/*
 * The linux rules of @p with canonical paths, sorted by path.  A deny of
 * writing, deleting or executing that takes away rights an allow above it
 * grants would make carving withhold them from every directory above it
 * (in a writable workdir, creating files in the workdir itself; for one
 * denied tool in /usr/bin, a rule for every other file there); it becomes
 * a bind mount instead and leaves the carve.  The others stay rules.
 */
static void canonical_rules(struct materializer *m, const struct ir_policy *p)
{
	size_t len = p->npaths + 1;
	struct ir_path_rule *made =
		arena_alloc(&m->ctx->arena, len * sizeof(*made));
	struct ir_path_rule *rules =
		arena_alloc(&m->ctx->arena, len * sizeof(*rules));
	mode_t *made_modes =
		arena_alloc(&m->ctx->arena, len * sizeof(*made_modes));
	mode_t *modes = arena_alloc(&m->ctx->arena, len * sizeof(*modes));
	bool *moved = arena_alloc(&m->ctx->arena, len * sizeof(*moved));
	bool *candidate = arena_alloc(&m->ctx->arena, len * sizeof(*candidate));
	size_t *order = arena_alloc(&m->ctx->arena, len * sizeof(*order));
	size_t n = 0, nothers = 0, nkept = 0, dropped = 0;

	if (!made || !rules || !made_modes || !modes || !moved || !candidate ||
	    !order)
		return;
	for (size_t i = 0; i < p->npaths; i++) {
		if (arena_failed(&m->ctx->arena))
			return; /* ll_materialize() fails */
		if (!(p->paths[i].platforms & IR_LINUX))
			continue;
		made[n] = p->paths[i];
		made[n].path = canonical(m, p->paths[i].path, &made_modes[n]);
		if (made[n].existing && !made_modes[n]) {
			struct ll_report_item *it =
				report(m, LL_REPORT_SKIPPED,
				       "%s: does not exist, and its deny "
				       "binds only what exists when the "
				       "sandbox starts ('existing'): no "
				       "rule, and it may be created",
				       made[n].path);
			if (it)
				it->origin = &p->paths[i].origin;
			continue;
		}
		moved[n] = strcmp(made[n].path, p->paths[i].path) != 0;
		n++;
	}
	canonical_order(m, made, moved, n, order);
	if (arena_failed(&m->ctx->arena))
		return;
	/* In order of their canonical paths from here on; the rules that
	 * are no candidates, to see what each candidate takes and whether
	 * a missing path can appear, are in order too. */
	struct ir_path_rule *others = made;
	for (size_t i = 0; i < n; i++) {
		rules[i] = made[order[i]];
		modes[i] = made_modes[order[i]];
		candidate[i] = mountable(&rules[i], rules[i].path, modes[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (!candidate[i])
			others[nothers++] = rules[i];
	struct ir_policy without = *p;
	without.paths = others;
	without.npaths = nothers;
	ir_index_paths(m->ctx, &without);
	for (size_t i = 0; i < n; i++) {
		if (candidate[i] && (ll_deny_rights(rules[i].modes) &
				     ll_rights_in(&without, m->plan->handled_fs,
						  rules[i].path))) {
			add_mount(m, rules[i].path, rules[i].modes,
				  S_ISDIR(modes[i]));
			continue;
		}
		/* A rule on nothing would only force a carve. */
		if (rules[i].verdict == IR_DENY &&
		    cannot_appear(m, &without, rules[i].path, modes[i])) {
			dropped++;
			continue;
		}
		/* Kept rules move down over the ones dropped. */
		rules[nkept++] = rules[i];
	}
	m->canon = *p;
	m->canon.paths = rules;
	m->canon.npaths = nkept;
	ir_index_paths(m->ctx, &m->canon);
	if (dropped)
		report(m, LL_REPORT_NOTE,
		       "%zu denied paths do not exist and cannot "
		       "be created in the sandbox: they need no "
		       "rule",
		       dropped);
	pin_ancestors(m, &without);
	report_mounts(m);
}

int ll_materialize(struct polc_ctx *ctx, const struct ll_plan *plan,
		   bool report, const struct ll_ruleset **out)
{
	const struct ir_policy *p = plan->policy;
	struct ll_ruleset *rs = arena_alloc(&ctx->arena, sizeof(*rs));
	struct materializer m = {
		.ctx = ctx, .plan = plan, .rs = rs, .report = report
	};

	rs->plan = plan;
	/* The plan's own report comes first. */
	for (size_t i = 0; report && i < plan->nreport; i++) {
		struct ll_report_item *it = arena_array_push(
			&ctx->arena, (void **)&rs->report, &rs->nreport,
			&rs->creport, sizeof(*it));
		*it = plan->report[i];
	}
	/* About one name per rule path, and a table at most half full:
	 * made at its size once rather than grown. */
	size_t cap = 256;
	while (cap < 2 * (p->npaths + 64))
		cap *= 2;
	m.cache = arena_alloc(&ctx->arena, cap * sizeof(*m.cache));
	m.cache_cap = m.cache && !arena_failed(&ctx->arena) ? cap : 0;
	canonical_rules(&m, p);
	m.paths = arena_alloc(&ctx->arena,
			      (m.canon.npaths + 1) * sizeof(*m.paths));
	/* Out of memory, the lists may alias the arena's scratch block:
	 * walking the filesystem with them would read garbage. */
	if (arena_failed(&ctx->arena))
		return -1;
	/* Already sorted by path: keep each path once. */
	for (size_t i = 0; i < m.canon.npaths; i++)
		m.paths[m.npaths++] = m.canon.paths[i].path;
	size_t n = 0;
	for (size_t i = 0; i < m.npaths; i++)
		if (!n || strcmp(m.paths[n - 1], m.paths[i]))
			m.paths[n++] = m.paths[i];
	m.npaths = n;
	visit(&m, "/", 0);
	*out = rs;
	return arena_failed(&ctx->arena) ? -1 : 0;
}
