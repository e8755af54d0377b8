#!/usr/bin/env python3
"""One attack, made with the raw system calls: probe.py ATTACK [ARG...].

Exit 0 when the attack worked (what it obtained, if anything, on stdout),
1 with the errno's name alone on stderr when the kernel refused it.  Any
other outcome is a traceback and another status, which the suite reports.
"""
import ctypes
import errno
import fcntl
import os
import signal
import socket
import struct
import sys
import termios

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

# x86_64 and aarch64 numbers of the calls Python does not wrap.
NR = {
    "x86_64": {"clone3": 435, "io_uring_setup": 425, "pidfd_open": 434, "pidfd_getfd": 438,
               "process_vm_readv": 310, "clone": 56},
    "aarch64": {"clone3": 435, "io_uring_setup": 425, "pidfd_open": 434, "pidfd_getfd": 438,
                "process_vm_readv": 270, "clone": 220},
}[os.uname().machine]


def pid_of(who):
    """A pid, or 'parent' / 'grandparent' of this process."""
    if who not in ("parent", "grandparent"):
        return int(who)
    pid = os.getppid()
    if who == "grandparent":
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return pid


def syscall(name, *args):
    """syscall(2) with every integer passed as a long: a variadic int
    would leave the register's upper half undefined."""
    return libc.syscall(ctypes.c_long(NR[name]), *(
        ctypes.c_long(a) if isinstance(a, int) else a for a in args))


def check(ret):
    """Raise the errno of a failed libc call."""
    if ret < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return ret


def read(path):
    # /proc/PID/... of a named relative: parent and grandparent.
    for who in ("parent", "grandparent"):
        path = path.replace("/proc/" + who + "/", f"/proc/{pid_of(who)}/")
    with open(path, "rb") as f:
        sys.stdout.buffer.write(f.read())


def read_fd(fd):
    sys.stdout.buffer.write(os.pread(int(fd), 4096, 0))


def ptrace_attach(pid):
    PTRACE_ATTACH, PTRACE_DETACH = 16, 17
    libc.ptrace.restype = ctypes.c_long
    pid = pid_of(pid)
    check(libc.ptrace(PTRACE_ATTACH, pid, None, None))
    os.waitpid(pid, 0x40000000)  # __WALL: the tracee stopped
    libc.ptrace(PTRACE_DETACH, pid, None, None)


class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def vm_readv(pid):
    pid = pid_of(pid)
    try:
        with open(f"/proc/{pid}/maps") as f:
            addr = int(f.readline().split("-")[0], 16)
    except OSError:
        # Refused: polc's own text is where it is linked, the call
        # itself must still be tried.
        addr = 0x400000
    buf = ctypes.create_string_buffer(16)
    local = IOVec(ctypes.cast(buf, ctypes.c_void_p), 16)
    remote = IOVec(addr, 16)
    check(syscall("process_vm_readv", pid, ctypes.byref(local),
                       1, ctypes.byref(remote), 1, 0))
    sys.stdout.write(buf.raw.hex())


def pidfd_getfd(pid, fd):
    pidfd = check(syscall("pidfd_open", pid_of(pid), 0))
    got = check(syscall("pidfd_getfd", pidfd, int(fd), 0))
    read_fd(got)


def abstract_connect(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("\0" + name)
    sys.stdout.buffer.write(s.recv(64))


def unix_connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    sys.stdout.buffer.write(s.recv(64))


def unix_connect_race(allowed, denied, tries="3000"):
    """connect(2) with an address that another thread keeps switching
    between an allowed socket and a denied one: a supervisor that checked
    the address and let the kernel read it again would connect to the
    denied one now and then.  Works when the denied socket answers."""
    import threading

    def address(path):
        raw = struct.pack("=H", socket.AF_UNIX) + path.encode() + b"\0"
        return raw.ljust(110, b"\0")

    good, bad = address(allowed), address(denied)
    buf = ctypes.create_string_buffer(good, 110)
    libc.connect.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_uint]
    done = threading.Event()

    def switch():
        while not done.is_set():
            ctypes.memmove(buf, bad, 110)
            ctypes.memmove(buf, good, 110)

    thread = threading.Thread(target=switch)
    thread.start()
    refused = 0
    try:
        for _ in range(int(tries)):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                if libc.connect(s.fileno(), buf, 110) != 0:
                    refused = ctypes.get_errno()
                    continue
                got = s.recv(64)
                if b"SECRET" in got:
                    sys.stdout.buffer.write(got)
                    return
    finally:
        done.set()
        thread.join()
    raise OSError(refused or errno.ENOENT, "the denied socket never answered")


def unshare(flag):
    flags = {"user": 0x10000000, "mount": 0x00020000, "net": 0x40000000}
    check(libc.unshare(flags[flag]))


def clone_newuser():
    # clone(CLONE_NEWUSER | SIGCHLD) with no new stack: a fork into a new
    # user namespace.
    pid = check(syscall("clone", 0x10000000 | signal.SIGCHLD, 0,
                             0, 0, 0))
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def clone3_newuser():
    # struct clone_args (64 bytes): flags, pidfd, child_tid, parent_tid,
    # exit_signal, stack, stack_size, tls.
    args = ctypes.create_string_buffer(
        struct.pack("QQQQQQQQ", 0x10000000, 0, 0, 0, signal.SIGCHLD, 0, 0, 0))
    pid = check(syscall("clone3", args, 64))
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def io_uring_setup():
    params = ctypes.create_string_buffer(120)
    fd = check(syscall("io_uring_setup", 4, params))
    os.close(fd)


def open_by_handle(handle_file, mount_path):
    # struct file_handle: handle_bytes, handle_type, then f_handle.
    with open(handle_file) as f:
        raw = bytes.fromhex(f.read())
    buf = ctypes.create_string_buffer(raw, len(raw))
    mount_fd = os.open(mount_path, os.O_RDONLY | os.O_DIRECTORY)
    libc.open_by_handle_at.restype = ctypes.c_int
    fd = check(libc.open_by_handle_at(mount_fd, buf, os.O_RDONLY))
    read_fd(fd)


def name_to_handle(path):
    buf = ctypes.create_string_buffer(8 + 128)
    struct.pack_into("I", buf, 0, 128)
    mount_id = ctypes.c_int()
    check(libc.name_to_handle_at(-100, path.encode(), buf,
                                 ctypes.byref(mount_id), 0))
    size = struct.unpack_from("I", buf, 0)[0]
    sys.stdout.write(buf.raw[:8 + size].hex())


def tty_ioctl(request):
    # The controlling terminal, as an agent would reach it.
    fd = os.open("/dev/tty", os.O_RDWR)
    if request == "tiocsti":
        fcntl.ioctl(fd, termios.TIOCSTI, b"#")
    else:
        # TIOCLINUX subcode 6 (TIOCL_GETSHIFTSTATE): only a virtual
        # console serves it, a pty's driver refuses it.
        fcntl.ioctl(fd, 0x541C, bytes([6, 0]))


def tcp_connect(host, port):
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    s.settimeout(5)
    s.connect((host, int(port)))


def udp_send(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("127.0.0.1", int(port)))


ATTACKS = {
    "read": read,
    "peek": read,  # read, where what is read is no secret
    "read-fd": read_fd,
    "list": lambda path: print("\n".join(sorted(os.listdir(path)))),
    "append": lambda path: open(path, "ab").write(b"# planted\n"),
    "create": lambda path: open(path, "xb").write(b"# planted\n"),
    "truncate": lambda path: os.truncate(path, 0),
    "open-trunc": lambda path: os.close(os.open(path, os.O_WRONLY | os.O_TRUNC)),
    "link": os.link,
    "symlink": os.symlink,
    "rename": os.rename,
    "exec": lambda path, *args: os.execv(path, [path, *args]),
    "ptrace": ptrace_attach,
    "vm-readv": vm_readv,
    "pidfd-getfd": pidfd_getfd,
    "kill": lambda pid: os.kill(pid_of(pid), signal.SIGTERM),
    "abstract-connect": abstract_connect,
    "unix-connect": unix_connect,
    "unix-connect-race": unix_connect_race,
    "unshare": unshare,
    "clone-newuser": clone_newuser,
    "clone3-newuser": clone3_newuser,
    "io-uring-setup": io_uring_setup,
    "open-by-handle": open_by_handle,
    "name-to-handle": name_to_handle,
    "tty-ioctl": tty_ioctl,
    "tcp-connect": tcp_connect,
    "udp-send": udp_send,
    "socket": lambda family, kind: socket.socket(
        getattr(socket, family), getattr(socket, kind),
        socket.IPPROTO_ICMP if family == "AF_INET" and kind == "SOCK_RAW"
        else 0).close(),
}

if __name__ == "__main__":
    try:
        ATTACKS[sys.argv[1]](*sys.argv[2:])
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)), file=sys.stderr)
        sys.exit(1)
