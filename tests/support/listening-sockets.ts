import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket in LISTEN state, as `ss -tlnp` shows it. */
export interface ListeningSocket {
  pid: number;
  command: string;
  address: string;
  port: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited meanwhile
  }
}

/** `pid` and every process below it (children of children included), from /proc/<pid>/stat. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (Number.isInteger(ppid)) parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

/** /proc/net/tcp{,6} hex: IPv4 is one little-endian word; IPv6 four of them. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  if (words.length === 1)
    return words[0]!
      .match(/../g)!
      .map((b) => parseInt(b, 16))
      .join('.');
  const groups = words.join('').match(/.{4}/g)!;
  if (groups.slice(0, 5).every((g) => g === '0000') && groups[5] === 'ffff') {
    const v4 = groups
      .slice(6)
      .join('')
      .match(/../g)!
      .map((b) => parseInt(b, 16));
    return `::ffff:${v4.join('.')}`;
  }
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** Every LISTEN socket (IPv4 and IPv6) held by one of `pids`, with the address it is bound to. */
export function listeningSockets(pids: number[]): ListeningSocket[] {
  const owners = new Map<string, { pid: number; command: string }>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited meanwhile
    }
    const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').slice(0, 3).join(' ');
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owners.set(inode, { pid, command });
      } catch {
        // closed meanwhile
      }
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st … inode (column 9); st 0A = LISTEN.
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const owner = owners.get(cols[9]!);
      if (!owner) continue;
      const [addr, port] = cols[1]!.split(':');
      sockets.push({ ...owner, address: decodeAddress(addr!), port: parseInt(port!, 16) });
    }
  }
  return sockets;
}

/** 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopback(address: string): boolean {
  return /^(::ffff:)?127\./.test(address) || address === '0:0:0:0:0:0:0:1';
}
