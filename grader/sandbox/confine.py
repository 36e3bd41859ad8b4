"""Kernel layers the worker puts around itself, without bubblewrap (and on top of it).

Loaded by path in the worker (stdlib only, like wire.py) and imported by the judge to detect
what this kernel offers. Each layer either applies fully or raises LayerFailed with the reason:
the worker then exits, the judge turns that layer off for the rest of the run and says so,
never a layer half on.

- namespaces: the worker enters new user, mount, network, pid, ipc and uts namespaces
  (``unshare(2)``), maps its user to itself with no capabilities outside, mounts a /proc
  that shows only its own processes, and runs learner code as pid 2 under a small init
  (pid 1) that reaps orphans; when the init dies every process in the namespace dies.
- landlock: reads only in an allowlist (interpreter, libraries, submission, scratch), writes
  only in the scratch folder, no TCP bind/connect, no signals or abstract unix sockets out
  of the sandbox, no ptrace of anything outside it.
- seccomp: a small deny-list for what Landlock cannot see (ptrace, other processes' memory,
  creating sockets, mounts, keyrings, bpf, namespaces, raising rlimits or priority).
"""

import ctypes
import errno
import os
import resource
import signal
import struct
import sys


def _machine():
    return os.uname().machine


class LayerFailed(Exception):
    def __init__(self, layer, reason):
        super().__init__(f"{layer}: {reason}")
        self.layer = layer
        self.reason = reason


FAILED_EXIT = 70  # the worker's exit status when a layer could not be applied (stderr says which)
FAILED_PREFIX = "mlkatas-layer-failed "

_libc = None


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)  # the interpreter's own libc (ctypes.util costs an import)
        _libc.syscall.restype = ctypes.c_long
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
        _libc.unshare.argtypes = [ctypes.c_int]
    return _libc


def prctl(option, *args):
    values = [ctypes.c_ulong(a) for a in args] + [ctypes.c_ulong(0)] * (4 - len(args))
    return libc().prctl(ctypes.c_int(option), *values)


def syscall(number, *args):
    return libc().syscall(ctypes.c_long(number), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])


def _check(layer, result, what):
    if result < 0:
        err = ctypes.get_errno()
        raise LayerFailed(layer, f"{what} failed ({errno.errorcode.get(err, err)}: {os.strerror(err)})")
    return result


# --- rlimits -----------------------------------------------------------------------------------------

def apply_limits(config):
    """Soft and hard limits set equal, so learner code can lower them but never raise them back."""

    def cap(which, value):
        if value is None:
            return
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_AS, config.get("memory_bytes"))
    cap(resource.RLIMIT_CPU, config.get("cpu_seconds"))
    cap(resource.RLIMIT_FSIZE, config.get("output_bytes"))
    cap(resource.RLIMIT_NPROC, config.get("max_processes"))
    # RLIMIT_NICE allows nice values down to 20 - limit: pin it at the worker's own niceness.
    cap(resource.RLIMIT_NICE, max(0, 20 - os.getpriority(os.PRIO_PROCESS, 0)))
    # A full output file makes write() fail with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


# --- namespaces ----------------------------------------------------------------------------------------

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_GET_SECCOMP, PR_SET_SECCOMP = 1, 38, 21, 22


def enter_namespaces(status_fd=None):
    """Become pid 2 of fresh namespaces. Returns in the worker only; the other processes exit.

    Three processes: the original one (outside, the one the judge knows) waits for the init and
    exits as it did; the init (pid 1 inside) reaps orphans and exits as the worker did; the
    worker goes on to run learner code. Each dies when its parent dies (PR_SET_PDEATHSIG), so a
    judge killed with SIGKILL takes all of them, and every daemon, down.
    """
    c = libc()
    uid, gid = os.geteuid(), os.getegid()
    _check("namespaces", c.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC
                                   | CLONE_NEWUTS), "unshare")
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    except OSError as err:
        raise LayerFailed("namespaces", f"mapping the user failed ({err})") from None
    _check("namespaces", c.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "making mounts private")
    parent = os.getppid()
    init = os.fork()
    if init:
        _relay(init, parent, status_fd)  # never returns
    if status_fd is not None:
        os.close(status_fd)  # only the outer process reports: learner code cannot forge the status
    _die_with_parent()  # (the init sees its parent, outside the namespace, as pid 0 either way)
    # pid 1 of the new namespace from here on.
    _check("namespaces", c.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None),
           "mounting /proc")
    c.sethostname(b"mlkatas", 7)
    worker = os.fork()
    if worker:
        _reap_until(worker)  # never returns
    _die_with_parent(1)
    drop_capabilities()


def _write(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _die_with_parent(parent=None):
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:  # the parent died before the prctl
        os._exit(1)


def _exit_like(status):
    """Exit as a child with this wait status did (a signal as 128 + N, like bubblewrap)."""
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status))


def _relay(child, parent, status_fd):
    # Outside the namespaces: keep no copy of the judge's pipes, so the judge sees EOF when the worker
    # dies; then wait for the init and end as it did.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    os.close(null)
    _die_with_parent(parent)
    while True:
        try:
            _pid, status = os.waitpid(child, 0)
        except InterruptedError:
            continue
        if status_fd is not None:  # like bubblewrap's --json-status-fd
            code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.waitstatus_to_exitcode(status)
            try:
                os.write(status_fd, b'{"exit-code": %d}\n' % code)
            except OSError:
                pass
        _exit_like(status)


def _reap_until(worker):
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    os.close(null)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
        if pid == worker:
            _exit_like(status)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


PR_CAPBSET_DROP = 24


def drop_capabilities():
    """No capabilities, even inside the namespace (they would allow mounts and raising limits there),
    and none to regain: the bounding set emptied, so even an exec as uid 0 gets none."""
    for cap in range(64):
        if prctl(PR_CAPBSET_DROP, cap) < 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the kernel's last capability
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check("namespaces", libc().capset(ctypes.byref(header), data), "dropping capabilities")


def userns_note():
    """Why unprivileged user namespaces are off here, or None when the kernel allows them."""
    for path, bad in (("/proc/sys/user/max_user_namespaces", "0"), ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
                      ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1")):
        try:
            with open(path) as f:
                if f.read().strip() == bad:
                    return f"the kernel forbids them ({path} is {bad})"
        except OSError:
            pass
    if not sys.platform.startswith("linux"):
        return "not Linux"
    return None


# --- Landlock ------------------------------------------------------------------------------------------

SYS_LANDLOCK = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX, SCOPE_SIGNAL = 1, 2
FILE_ACCESS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV  # what a file rule may hold


def landlock_abi():
    """The kernel's Landlock ABI version, or 0 without Landlock."""
    numbers = SYS_LANDLOCK.get(_machine())
    if numbers is None:
        return 0
    version = syscall(numbers[0], 0, 0, 1)
    return max(0, version)


def apply_landlock(read_paths, write_paths, abi=None):
    """Reads in read_paths (and write_paths), writes in write_paths only; no TCP; scoped where the ABI has it."""
    abi = abi or landlock_abi()
    if abi < 1:
        raise LayerFailed("landlock", "the kernel has no Landlock")
    create, add, restrict = SYS_LANDLOCK[_machine()]
    fs = (FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
          | (FS_IOCTL_DEV if abi >= 5 else 0))
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("=QQQ", fs, net, scoped)
    size = 8 if abi < 4 else (16 if abi < 6 else 24)
    ruleset = _check("landlock", syscall(create, attr, size, 0),
                     "landlock_create_ruleset")
    try:
        read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
        for paths, access in ((read_paths, read), (write_paths, fs & ~FS_IOCTL_DEV)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # absent here: nothing to allow
                try:
                    allowed = access
                    if not os.path.isdir(path):
                        allowed &= FILE_ACCESS
                    rule = struct.pack("=Qi", allowed & fs, fd)
                    _check("landlock", syscall(add, ruleset, 1, rule, 0),
                           f"allowing {path}")
                finally:
                    os.close(fd)
        _check("landlock", prctl(PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")
        _check("landlock", syscall(restrict, ruleset, 0), "landlock_restrict_self")
    finally:
        os.close(ruleset)


# --- seccomp -------------------------------------------------------------------------------------------

# syscall numbers denied with EPERM; per architecture (audit arch, table)
_X86_64 = {"ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "socket": 41, "socketpair": 53,
           "personality": 135, "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321, "mount": 165,
           "umount2": 166, "pivot_root": 155, "unshare": 272, "setns": 308, "kexec_load": 246,
           "init_module": 175, "finit_module": 313, "delete_module": 176, "perf_event_open": 298,
           "userfaultfd": 323, "setrlimit": 160, "setpriority": 141, "sched_setscheduler": 144,
           "sched_setparam": 142, "sched_setattr": 314, "ioprio_set": 251, "open_by_handle_at": 304,
           "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "io_uring_setup": 425,
           "swapon": 167, "swapoff": 168, "reboot": 169, "acct": 163, "quotactl": 179, "syslog": 103,
           "pidfd_getfd": 438, "kcmp": 312, "name_to_handle_at": 303}
_AARCH64 = {"ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "socket": 198, "socketpair": 199,
            "personality": 92, "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280, "mount": 40,
            "umount2": 39, "pivot_root": 41, "unshare": 97, "setns": 268, "kexec_load": 104,
            "init_module": 105, "finit_module": 273, "delete_module": 106, "perf_event_open": 241,
            "userfaultfd": 282, "setrlimit": 164, "setpriority": 140, "sched_setscheduler": 119,
            "sched_setparam": 118, "sched_setattr": 274, "ioprio_set": 30, "open_by_handle_at": 265,
            "fsopen": 430, "fsmount": 432, "move_mount": 429, "open_tree": 428, "io_uring_setup": 425,
            "swapon": 224, "swapoff": 225, "reboot": 142, "acct": 89, "quotactl": 60, "syslog": 116,
            "pidfd_getfd": 438, "kcmp": 272, "name_to_handle_at": 264}
SECCOMP = {"x86_64": (0xC000003E, _X86_64, 302), "aarch64": (0xC00000B7, _AARCH64, 261)}  # (arch, table, prlimit64)
SECCOMP_MODE_FILTER = 2
_RET_ALLOW, _RET_KILL, _RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000


def seccomp_note():
    if _machine() not in SECCOMP:
        return f"no syscall table for {_machine()}"
    try:
        with open("/proc/self/status") as f:
            if "Seccomp:" not in f.read():
                return "the kernel was built without seccomp"
    except OSError:
        return "cannot read /proc/self/status"
    return None


def _insn(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


def apply_seccomp():
    """Deny the listed syscalls (EPERM), prlimit64 that sets a limit, and every foreign architecture."""
    note = seccomp_note()
    if note:
        raise LayerFailed("seccomp", note)
    arch, table, prlimit64 = SECCOMP[_machine()]
    LD, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    deny = _RET_ERRNO | errno.EPERM
    numbers = sorted(set(table.values()))
    prog = [_insn(LD, 4), _insn(JEQ, arch, 1, 0), _insn(RET, _RET_KILL), _insn(LD, 0)]
    if _machine() == "x86_64":
        prog += [_insn(JGE, 0x40000000, 0, 1), _insn(RET, deny)]  # x32 syscalls
    # prlimit64(pid, resource, new, old) with new != NULL sets a limit: deny; only reading limits is allowed.
    prog += [_insn(JEQ, prlimit64, 0, 6), _insn(LD, 32), _insn(JEQ, 0, 0, 2), _insn(LD, 36), _insn(JEQ, 0, 1, 0),
             _insn(RET, deny), _insn(RET, _RET_ALLOW)]
    for i, number in enumerate(numbers):  # the accumulator still holds the number here
        prog.append(_insn(JEQ, number, len(numbers) - i, 0))
    prog += [_insn(RET, _RET_ALLOW), _insn(RET, deny)]
    program = b"".join(prog)
    count = len(prog)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = ctypes.create_string_buffer(struct.pack("@HP", count, ctypes.addressof(buffer)))
    _check("seccomp", prctl(PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")
    _check("seccomp", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog)), "installing the filter")
