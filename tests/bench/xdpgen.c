/* xdpgen.c - the benchmark's frame source and probes, on the repository's
 * own netlink.c, bpf_sys.c and attach.c:
 *
 *   xdpgen live IFACE FRAMES BATCH CPU|all [INGRESS]
 *        FRAMES frames (per CPU) through the program attached to IFACE,
 *        with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES: a redirect
 *        really leaves by the devmap. Frames enter as if from INGRESS
 *        (default IFACE).
 *   xdpgen alone IFACE REPEAT          that program run REPEAT times, no frame leaves
 *   xdpgen info IFACE [dump]           its translated and JITed sizes (and insns)
 *   xdpgen count IFACE                 sum of its per-CPU counter
 *   xdpgen floor IN SPARE              attach to SPARE a bare redirect through
 *        the devmap of IN's program: the least work any forwarder on that
 *        devmap can do
 *   xdpgen drop IFACE                  attach a counting XDP_DROP program
 *   xdpgen attach-time IFACE TIMEOUT_MS LOG CMD [ARG...]
 *        exec CMD (output to LOG), print the time until IFACE has an XDP
 *        program, then wait for CMD and exit with its status
 *   xdpgen cpu-time CMD [ARG...]       CPU and wall time of CMD
 *
 * Programs are taken from the interfaces they are attached to because
 * attaching in native mode is what puts a program in the kernel's XDP
 * dispatcher (a direct call instead of an indirect one, about 0.4 ns
 * here): a floor that was only loaded would be slower than the forwarder.
 * Results are key=value pairs on one line of stdout; failures one line
 * on stderr and exit status 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/if_link.h>

#include "attach.h"
#include "bpf_sys.h"
#include "common.h"

/* Room for the map ids of one program; ours have two. */
#define GEN_MAX_MAPS 16
/* Threads for "all": one per CPU, as many as a test machine has. */
#define GEN_MAX_CPUS 256
/* Attach polling period: short against the ~ms being measured. */
#define GEN_POLL_NS 20000

static uint64_t gen_now_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/* The CPU time of this thread. The test run and the softirq work it
 * triggers (the veth peer's NAPI, run at each local_bh_enable) are
 * charged to it, while time other tasks of a shared machine take from
 * this CPU is not: rates per CPU time stay comparable under load. */
static uint64_t gen_cpu_ns(void)
{
	return bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static int gen_fail(const char *who, const char *what, int err)
{
	fprintf(stderr, "xdpgen: %s: %s%s%s\n", who, what, err ? ": " : "",
		err ? strerror(-err) : "");
	return 1;
}

static int gen_number(const char *arg, uint32_t *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (end == arg || *end || errno || arg[0] == '-' || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

/* ---- programs and maps ---- */

static int gen_ifindex(int nl, const char *iface, int *ifindex)
{
	struct nl_link link;
	int err = nl_link_get_by_name(nl, iface, &link, NULL, 0);

	if (!err)
		*ifindex = link.ifindex;
	return err;
}

/* The fd of the program attached to iface, and iface's index. */
static int gen_attached(int nl, const char *iface, int *ifindex)
{
	uint32_t id = 0;
	int err = gen_ifindex(nl, iface, ifindex);

	if (!err)
		err = attach_prog_id(nl, *ifindex, &id);
	if (err)
		return err;
	return id ? bpf_prog_get_fd_by_id(id) : -ENOENT;
}

/* The fd of the first map of type used by a program, or -ENOENT. */
static int gen_prog_map(int prog_fd, uint32_t type)
{
	uint32_t ids[GEN_MAX_MAPS], len = sizeof(struct bpf_prog_info), i;
	struct bpf_prog_info info = { .nr_map_ids = GEN_MAX_MAPS };
	struct bpf_map_info minfo;
	int fd, err;

	info.map_ids = ptr_to_u64(ids);
	err = bpf_obj_get_info(prog_fd, &info, &len);
	for (i = 0; !err && i < info.nr_map_ids && i < GEN_MAX_MAPS; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			return fd;
		memset(&minfo, 0, sizeof(minfo));
		len = sizeof(minfo);
		err = bpf_obj_get_info(fd, &minfo, &len);
		if (!err && minfo.type == type)
			return fd;
		close(fd);
	}
	return err ? err : -ENOENT;
}

static int gen_load(const char *name, const struct bpf_insn *insns, uint32_t n,
		    uint32_t flags)
{
	struct bpf_prog_desc d = {
		.type = BPF_PROG_TYPE_XDP, .flags = flags, .name = name, .license = "GPL",
		.insns = insns, .insn_cnt = n,
	};

	return bpf_prog_load(&d, NULL, 0);
}

/* return bpf_redirect_map(&tx_port, 0, XDP_PASS), as the forwarder's
 * program ends, and nothing before it. */
static int gen_floor_load(int devmap_fd)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = devmap_fd },
		{ .code = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	int fd;

	/* The forwarder loads its programs with BPF_F_XDP_HAS_FRAGS where the
	 * kernel has it, and the kernel wants every program using its devmap
	 * to agree; older kernels refuse the flag. */
	fd = gen_load("xrm_floor", insns, sizeof(insns) / sizeof(insns[0]), BPF_F_XDP_HAS_FRAGS);
	if (fd == -EINVAL)
		fd = gen_load("xrm_floor", insns, sizeof(insns) / sizeof(insns[0]), 0);
	return fd;
}

/* rxcnt-style per-CPU count in slot 0, then XDP_DROP. */
static int gen_drop_load(int cnt_fd)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .off = -4 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_2, .imm = -4 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = cnt_fd },
		{ .code = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = BPF_REG_0, .off = 3 },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_1, .src_reg = BPF_REG_0 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_DROP },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	/* It never reads the frame, so frames of several buffers are fine:
	 * with HAS_FRAGS the veth under it takes jumbo MTUs. */
	return gen_load("xrm_bench_drop", insns, sizeof(insns) / sizeof(insns[0]),
			BPF_F_XDP_HAS_FRAGS);
}

/* Attaches fd (or its load error) to iface in native mode, replacing
 * what is there, and closes it: the attachment outlives us and goes with
 * the interface. Returns the exit status. */
static int gen_attach(int nl, const char *iface, int fd, const char *what)
{
	char ext[NL_EXTACK_BYTES] = "";
	int ifindex, err = fd;

	if (fd >= 0 && !(err = gen_ifindex(nl, iface, &ifindex)))
		err = nl_xdp_set(nl, ifindex, fd, -1, XDP_FLAGS_DRV_MODE, ext, sizeof(ext));
	if (fd >= 0)
		close(fd);
	return err ? gen_fail(iface, ext[0] ? ext : what, err) : 0;
}

/* Frames in slot 0, summed over CPUs. The value is frames alone (8
 * bytes) or frames then bytes (16): each CPU's slot is value_size rounded
 * up to 8, frames first. */
static int gen_count_sum(int map_fd, uint64_t *sum)
{
	int ncpus = bpf_possible_cpus(), i, err;
	struct bpf_map_info info;
	uint32_t key = 0, len = sizeof(info), slot_u64s;
	uint64_t *vals;

	if (ncpus < 0)
		return ncpus;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info(map_fd, &info, &len);
	if (err)
		return err;
	slot_u64s = (info.value_size + 7) / 8;
	vals = calloc(1, bpf_percpu_value_bytes(info.value_size, ncpus));
	if (!vals)
		return -ENOMEM;
	err = bpf_map_lookup(map_fd, &key, vals);
	for (*sum = 0, i = 0; !err && i < ncpus; i++)
		*sum += vals[(size_t)i * slot_u64s];
	free(vals);
	return err;
}

/* ---- injecting ---- */

struct gen_live {
	int prog_fd;
	int ifindex;			/* IN, as the frames' ingress */
	uint32_t frames;
	uint32_t batch;			/* frames per redirect flush */
	int cpu;
	pthread_barrier_t *start;
	uint64_t start_ns, end_ns;	/* CLOCK_MONOTONIC */
	uint64_t cpu_ns;		/* of this thread during the run */
	int err;
};

static int gen_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void *gen_live_thread(void *arg)
{
	struct gen_live *g = arg;
	uint8_t frame[FRAME_MIN_BYTES];
	/* The kernel wants the context to describe the frame: data_end is
	 * its length. */
	struct xdp_md ctx = { .data_end = sizeof(frame),
			      .ingress_ifindex = (uint32_t)g->ifindex };
	union bpf_attr attr;

	frame_build(frame, sizeof(frame));
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)g->prog_fd;
	attr.test.data_in = ptr_to_u64(frame);
	attr.test.data_size_in = sizeof(frame);
	attr.test.ctx_in = ptr_to_u64(&ctx);
	attr.test.ctx_size_in = sizeof(ctx);
	attr.test.repeat = g->frames;
	attr.test.flags = BPF_F_TEST_XDP_LIVE_FRAMES;
	attr.test.batch_size = g->batch;
	g->err = gen_pin(g->cpu);
	pthread_barrier_wait(g->start);
	g->start_ns = gen_now_ns();
	g->cpu_ns = gen_cpu_ns();
	if (!g->err)
		g->err = bpf_prog_test_run(&attr);
	g->cpu_ns = gen_cpu_ns() - g->cpu_ns;
	g->end_ns = gen_now_ns();
	return NULL;
}

/* The CPUs we may run on, in order, into cpus; their number. */
static int gen_cpus(const char *arg, int *cpus)
{
	uint32_t one;
	cpu_set_t set;
	int i, n = 0;

	if (strcmp(arg, "all") != 0) {
		if (gen_number(arg, &one) || one >= CPU_SETSIZE)
			return -EINVAL;
		cpus[0] = (int)one;
		return 1;
	}
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (i = 0; i < CPU_SETSIZE && n < GEN_MAX_CPUS; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return n;
}

/* Runs one thread per CPU at once. mpps is of the whole span;
 * mpps_cpu adds each thread's frames per its CPU time: what the CPUs
 * would do if nothing else ran on them. */
static int gen_live_run(struct gen_live *g, int n)
{
	pthread_t tid[GEN_MAX_CPUS];
	pthread_barrier_t start;
	uint64_t first = UINT64_MAX, last = 0, frames = 0;
	double mpps_cpu = 0;
	int i, err = 0;

	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		g[i].start = &start;
		if (pthread_create(&tid[i], NULL, gen_live_thread, &g[i]))
			return -EAGAIN;
	}
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		err = err ? err : g[i].err;
		first = g[i].start_ns < first ? g[i].start_ns : first;
		last = g[i].end_ns > last ? g[i].end_ns : last;
		frames += g[i].frames;
		mpps_cpu += g[i].cpu_ns ? (double)g[i].frames * 1e3 / (double)g[i].cpu_ns : 0;
	}
	pthread_barrier_destroy(&start);
	if (!err)
		printf("frames=%llu ns=%llu mpps=%.4f mpps_cpu=%.4f cpus=%d\n",
		       (unsigned long long)frames, (unsigned long long)(last - first),
		       (double)frames * 1e3 / (double)(last - first), mpps_cpu, n);
	return err;
}

static int gen_cmd_live(int nl, int argc, char **argv)
{
	static struct gen_live g[GEN_MAX_CPUS];
	int cpus[GEN_MAX_CPUS], ifindex, fd, n, i, err;
	uint32_t frames, batch;

	n = gen_cpus(argv[3], cpus);
	if (gen_number(argv[1], &frames) || gen_number(argv[2], &batch) || n <= 0)
		return gen_fail(argv[3], "bad FRAMES, BATCH or CPU", 0);
	fd = gen_attached(nl, argv[0], &ifindex);
	if (fd < 0)
		return gen_fail(argv[0], "no program", fd);
	if (argc > 4 && (err = gen_ifindex(nl, argv[4], &ifindex))) {
		close(fd);
		return gen_fail(argv[4], "no such interface", err);
	}
	for (i = 0; i < n; i++)
		g[i] = (struct gen_live){ .prog_fd = fd, .ifindex = ifindex, .frames = frames,
					  .batch = batch, .cpu = cpus[i] };
	err = gen_live_run(g, n);
	close(fd);
	return err ? gen_fail(argv[0], "live frames test run", err) : 0;
}

/* The program alone: the kernel runs it REPEAT times on one frame and
 * discards the verdict, so no frame leaves and nothing else is timed. */
static int gen_cmd_alone(int nl, char **argv)
{
	uint8_t frame[FRAME_MIN_BYTES];
	union bpf_attr attr;
	uint64_t t0, t1;
	uint32_t repeat;
	int ifindex, fd, err;

	if (gen_number(argv[1], &repeat) || repeat == 0)
		return gen_fail(argv[1], "bad REPEAT", 0);
	fd = gen_attached(nl, argv[0], &ifindex);
	if (fd < 0)
		return gen_fail(argv[0], "no program", fd);
	frame_build(frame, sizeof(frame));
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = ptr_to_u64(frame);
	attr.test.data_size_in = sizeof(frame);
	attr.test.repeat = repeat;
	t0 = gen_cpu_ns();
	err = bpf_prog_test_run(&attr);
	t1 = gen_cpu_ns();
	close(fd);
	if (err)
		return gen_fail(argv[0], "test run", err);
	/* The kernel's own figure is whole ns; ours, of CPU time, has the
	 * fraction. */
	printf("ns_per_frame=%.3f kernel_ns=%u\n", (double)(t1 - t0) / repeat, attr.test.duration);
	return 0;
}

/* ---- inspecting ---- */

static void gen_dump(const struct bpf_insn *insns, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		printf("%3u: code=0x%02x dst=r%u src=r%u off=%d imm=%d\n", i, insns[i].code,
		       insns[i].dst_reg, insns[i].src_reg, insns[i].off, insns[i].imm);
}

/* Sizes after the verifier's rewrites and the JIT; with "dump", the
 * translated instructions, to see what a helper call became. */
static int gen_cmd_info(int nl, int argc, char **argv)
{
	static struct bpf_insn insns[4096];
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int ifindex, fd, err;

	fd = gen_attached(nl, argv[0], &ifindex);
	if (fd < 0)
		return gen_fail(argv[0], "no program", fd);
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = sizeof(insns);
	info.xlated_prog_insns = ptr_to_u64(insns);
	err = bpf_obj_get_info(fd, &info, &len);
	close(fd);
	if (err)
		return gen_fail(argv[0], "program info", err);
	printf("name=%s xlated_insns=%u jited_bytes=%u\n", info.name,
	       info.xlated_prog_len / (uint32_t)sizeof(struct bpf_insn), info.jited_prog_len);
	if (argc > 1 && strcmp(argv[1], "dump") == 0 && info.xlated_prog_len <= sizeof(insns))
		gen_dump(insns, info.xlated_prog_len / (uint32_t)sizeof(struct bpf_insn));
	return 0;
}

/* The fd of the first map of type used by the program on iface. */
static int gen_attached_map(int nl, const char *iface, uint32_t type)
{
	int ifindex, fd = gen_attached(nl, iface, &ifindex), map_fd;

	if (fd < 0)
		return fd;
	map_fd = gen_prog_map(fd, type);
	close(fd);
	return map_fd;
}

static int gen_cmd_count(int nl, char **argv)
{
	int map_fd = gen_attached_map(nl, argv[0], BPF_MAP_TYPE_PERCPU_ARRAY), err;
	uint64_t sum;

	if (map_fd < 0)
		return gen_fail(argv[0], "no program with a per-CPU counter", map_fd);
	err = gen_count_sum(map_fd, &sum);
	close(map_fd);
	if (err)
		return gen_fail(argv[0], "counter lookup", err);
	printf("frames=%llu\n", (unsigned long long)sum);
	return 0;
}

/* The floor on the devmap of IN's program, attached to SPARE. */
static int gen_cmd_floor(int nl, char **argv)
{
	int map_fd = gen_attached_map(nl, argv[0], BPF_MAP_TYPE_DEVMAP), fd;

	if (map_fd < 0)
		return gen_fail(argv[0], "no program with a devmap", map_fd);
	fd = gen_floor_load(map_fd);
	close(map_fd);
	return gen_attach(nl, argv[1], fd, "floor");
}

static int gen_cmd_drop(int nl, char **argv)
{
	int map_fd, fd;

	map_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "xrm_bench_cnt", sizeof(uint32_t),
				sizeof(uint64_t), 1, 0);
	if (map_fd < 0)
		return gen_fail(argv[0], "counter map", map_fd);
	fd = gen_drop_load(map_fd);
	close(map_fd);
	return gen_attach(nl, argv[0], fd, "counting drop program");
}

/* ---- timing other programs ---- */

static void gen_exec(const char *log, char **cmd)
{
	int fd = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) :
		       open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execvp(cmd[0], cmd);
	_exit(127);
}

static int gen_wait_attach(int nl, int ifindex, pid_t pid, uint64_t deadline_ns)
{
	const struct timespec nap = { 0, GEN_POLL_NS };
	uint32_t id = 0;
	int status;

	while (gen_now_ns() < deadline_ns) {
		if (attach_prog_id(nl, ifindex, &id) == 0 && id)
			return 0;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -ECHILD;
		nanosleep(&nap, NULL);
	}
	return -ETIMEDOUT;
}

static int gen_cmd_attach_time(int nl, char **argv)
{
	int ifindex, status, err;
	uint32_t timeout_ms, id = 0;
	uint64_t t0;
	pid_t pid;

	if (gen_number(argv[1], &timeout_ms))
		return gen_fail(argv[1], "bad TIMEOUT_MS", 0);
	err = gen_ifindex(nl, argv[0], &ifindex);
	if (!err)
		err = attach_prog_id(nl, ifindex, &id);
	if (err)
		return gen_fail(argv[0], "no such interface", err);
	/* Someone else's program would be taken for CMD's at once. */
	if (id)
		return gen_fail(argv[0], "has an XDP program already", 0);
	t0 = gen_now_ns();
	pid = fork();
	if (pid == 0)
		gen_exec(argv[2], argv + 3);
	if (pid < 0)
		return gen_fail(argv[3], "fork", -errno);
	err = gen_wait_attach(nl, ifindex, pid, t0 + (uint64_t)timeout_ms * 1000000u);
	if (err) {
		kill(pid, SIGTERM);
		return gen_fail(argv[3], "did not attach", err);
	}
	printf("pid=%d attach_us=%.1f\n", (int)pid, (double)(gen_now_ns() - t0) / 1e3);
	/* CMD stays our child, so that whoever started us can wait for it. */
	if (waitpid(pid, &status, 0) != pid)
		return gen_fail(argv[3], "wait", -errno);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int gen_cmd_cpu_time(char **argv)
{
	struct rusage ru;
	uint64_t t0 = gen_now_ns(), wall_ns;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		gen_exec(NULL, argv);
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return gen_fail(argv[0], "fork or wait", -errno);
	wall_ns = gen_now_ns() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return gen_fail(argv[0], "failed", 0);
	/* No peak RSS: since 6.2 the kernel's RSS counters are per CPU and
	 * folded lazily, and wait4 reports 0 KiB for a process this small. */
	printf("cpu_us=%ld wall_us=%.1f\n",
	       (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       (long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
	       (double)wall_ns / 1e3);
	return 0;
}

static int gen_usage(void)
{
	fputs("usage: xdpgen live IFACE FRAMES BATCH CPU|all [INGRESS]\n"
	      "       xdpgen alone IFACE REPEAT\n"
	      "       xdpgen info IFACE [dump]\n"
	      "       xdpgen count IFACE\n"
	      "       xdpgen floor IN SPARE\n"
	      "       xdpgen drop IFACE\n"
	      "       xdpgen attach-time IFACE TIMEOUT_MS LOG CMD [ARG...]\n"
	      "       xdpgen cpu-time CMD [ARG...]\n", stderr);
	return 2;
}

static int gen_cmd(int nl, const char *cmd, int n, char **argv)
{
	if (strcmp(cmd, "live") == 0 && (n == 4 || n == 5))
		return gen_cmd_live(nl, n, argv);
	if (strcmp(cmd, "alone") == 0 && n == 2)
		return gen_cmd_alone(nl, argv);
	if (strcmp(cmd, "info") == 0 && (n == 1 || n == 2))
		return gen_cmd_info(nl, n, argv);
	if (strcmp(cmd, "count") == 0 && n == 1)
		return gen_cmd_count(nl, argv);
	if (strcmp(cmd, "floor") == 0 && n == 2)
		return gen_cmd_floor(nl, argv);
	if (strcmp(cmd, "drop") == 0 && n == 1)
		return gen_cmd_drop(nl, argv);
	if (strcmp(cmd, "attach-time") == 0 && n >= 4)
		return gen_cmd_attach_time(nl, argv);
	if (strcmp(cmd, "cpu-time") == 0 && n >= 1)
		return gen_cmd_cpu_time(argv);
	return gen_usage();
}

int main(int argc, char **argv)
{
	int nl, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return gen_usage();
	nl = nl_open(0);
	if (nl < 0)
		return gen_fail("netlink", "cannot open", nl);
	ret = gen_cmd(nl, argv[1], argc - 2, argv + 2);
	close(nl);
	return ret;
}
