#include "conformance/findings/kinds.h"

#include <array>

namespace echo::conformance {
namespace {

constexpr std::array kKinds{
    // --- what comes back over TCP -------------------------------------------
    FindingKind{
        "nul-cut", "data is cut at the first NUL byte",
        "Bytes up to a NUL (0x00) come back; the NUL and what follows it in the same read are "
        "lost, or the echo stops there.",
        "The server treats received bytes as a C string: strlen(), printf(\"%s\"), strcpy(), "
        "fputs() or a std::string built from a char* stop at the first 0x00.",
        "Keep the byte count recv()/read() returned and send exactly that many bytes with "
        "send()/write(); never pass received data through string functions."},
    FindingKind{
        "line-buffered", "only whole lines are echoed",
        "Everything up to the last newline (0x0A) comes back; bytes after it wait until "
        "another newline arrives, so a message without a trailing newline is never echoed.",
        "The server reads lines (fgets(), getline(), BufferedReader.readLine(), "
        "bufio.Scanner, readline()) instead of whatever recv() returns, or its output is "
        "line-buffered stdio.",
        "Echo the bytes of each read as they arrive; do not wait for or parse line ends. With "
        "stdio, call fflush() after each write or use unbuffered I/O."},
    FindingKind{"newline-to-crlf", "newlines come back as CR LF",
                "Each line feed (0x0A) comes back as carriage return + line feed (0x0D 0x0A).",
                "Text-mode output: a line reader strips the newline and the writer adds \"\\r\\n\" "
                "(println, writeln, telnet-style line discipline, a Windows text-mode stream).",
                "Write the received bytes unchanged; open streams in binary mode."},
    FindingKind{
        "crlf-to-newline", "CR LF comes back as a bare newline",
        "A carriage return before a line feed (0x0D 0x0A) is dropped: only 0x0A comes back.",
        "A line reader that trims \"\\r\\n\" and a writer that adds \"\\n\", or a text-mode "
        "stream that translates line ends.",
        "Write the received bytes unchanged; open streams in binary mode."},
    FindingKind{"high-bit-changed", "bytes above 127 are changed",
                "Bytes 0x80-0xFF come back altered: with their top bit cleared, as '?', or as the "
                "UTF-8 replacement character EF BF BD.",
                "The server decodes the bytes as ASCII or UTF-8 text and encodes them again, masks "
                "them with 0x7F, or goes through a signed char.",
                "Treat the data as bytes, not text: no decoding, no character conversion."},
    FindingKind{
        "greeting", "the server sends a greeting before the echo",
        "Bytes nobody sent (a banner or prompt) arrive before the echo, which then follows.",
        "The server writes a welcome line when a client connects.",
        "An echo server sends back what it receives and nothing else: drop the greeting."},
    FindingKind{
        "extra-bytes", "the server adds bytes to the echo",
        "The echo comes back with bytes the client never sent inserted or appended, such as a "
        "newline or a prompt after each chunk.",
        "The server appends a line end or prompt to each write (puts() adds \"\\n\", println, "
        "a prompt printed after each echo).",
        "Send exactly the bytes received, nothing appended."},
    FindingKind{
        "unsolicited-data", "the server sends data nobody asked for",
        "Data arrives that is not the echo of anything sent (from the moment of connecting, or "
        "in place of the echo), and keeps coming.",
        "The service on this port is not an echo service (chargen, a banner loop, a different "
        "protocol), or the server writes from the wrong buffer.",
        "Check what listens on the port; an echo server sends only what it received."},
    FindingKind{
        "corrupted-data", "bytes are changed in the stream",
        "A stretch of the echo differs from what was sent, with the same length: bytes were "
        "altered, not lost or added.",
        "Buffer reuse before a send completed, writing from the wrong offset, or a bug that "
        "overwrites the buffer.",
        "Keep each buffer untouched until send() has taken all of it; send from the offset "
        "the last send stopped at."},
    FindingKind{
        "short-write-lost", "bytes go missing mid-stream: short writes are not retried",
        "The echo is right up to a point, then skips ahead: a run of bytes that was received "
        "is never sent, and the stream goes on after it.",
        "send()/write() on a socket may take fewer bytes than asked (a short write, or EAGAIN "
        "on a non-blocking socket); the server ignores the count it returned and drops the "
        "rest of the buffer.",
        "Loop until every byte is sent: advance by the count send() returned; on EAGAIN keep "
        "the rest and wait for POLLOUT/EPOLLOUT."},
    FindingKind{
        "waits-for-eof", "the echo comes only after the client closes",
        "Nothing comes back while the connection is open; once the client shuts down its "
        "sending side, the whole echo arrives.",
        "The server reads until end of file before writing (read-all-then-write, a pipe to a "
        "program that buffers until EOF, `cat` with full buffering).",
        "Write each chunk back as soon as it is read."},
    FindingKind{"first-read-only", "only the first read of a connection is echoed",
                "The first chunk comes back, then nothing more on that connection.",
                "The server calls recv() once per connection (no loop), then waits or closes.",
                "Loop: recv, send everything received, until recv() returns 0 (end of stream)."},
    FindingKind{
        "stream-cut", "every connection stops after a fixed number of bytes",
        "The echo stops at the same byte count on every connection that sends more, whatever "
        "the data.",
        "A fixed-size buffer that is filled once and never reset, a counter that closes the "
        "connection at a limit, or a read of one buffer's worth only.",
        "Reuse the buffer for every read; echo until the client ends the stream."},
    FindingKind{
        "stalls", "the echo stops partway",
        "Part of the echo comes back, then nothing more, while the connection stays open; no "
        "simpler pattern (lines, NUL bytes, a fixed size) explains where it stops.",
        "A lost wake-up in the event loop (edge-triggered epoll without reading to EAGAIN), "
        "back-pressure that is never released, or a deadlock between reading and writing.",
        "With edge-triggered readiness read and write until EAGAIN; resume reading when the "
        "output drains."},
    FindingKind{"slow-echo", "the echo is correct but slow",
                "Every byte comes back right, but far slower than the network allows.",
                "A delay per read (sleep, a timer per chunk), tiny buffers, or Nagle's algorithm "
                "interacting with delayed acknowledgements.",
                "Echo as soon as data arrives, with buffers of tens of KiB; consider TCP_NODELAY."},
    FindingKind{
        "no-echo", "nothing is echoed over TCP",
        "Connections are accepted, but no byte ever comes back.",
        "The server never reads, reads and never writes, or writes to the wrong descriptor.",
        "Read from the accepted connection and write the same bytes back to it."},
    FindingKind{
        "closes-at-once", "the server closes each connection before echoing",
        "Every connection is closed by the server before any echo: FIN, or RST where the "
        "client's bytes arrived before the close (the kernel resets a connection closed with "
        "unread data), so the report shows a mix of both.",
        "The server closes the accepted socket right away (e.g. closes the wrong descriptor, "
        "or the handler returns at once).",
        "Keep the connection open and echo until the client ends its stream."},
    FindingKind{"resets-connections", "the server resets connections instead of echoing",
                "Connections are reset (RST) by the server, on connect or when data arrives, and "
                "never closed with a FIN (a mix of FIN and RST is closes-at-once).",
                "The server closes the socket with unread data (the kernel then sends RST), sets "
                "SO_LINGER to 0, or crashes per connection.",
                "Read all the data before closing; close only after the client's end of stream."},
    FindingKind{
        "half-close-tail-lost", "the tail of the echo is lost when the client half-closes",
        "When the client shuts down its sending side (SHUT_WR) right after its last byte, the "
        "server closes before it has sent back all of that data.",
        "The server closes as soon as it reads end of stream, discarding data still queued "
        "for sending (in a buffer, a pipe to a child, or an unflushed stdio stream).",
        "On end of stream, finish sending everything already received, then close."},
    FindingKind{
        "half-close-never-closed", "the server never closes after the client's half-close",
        "After the client shut down its sending side and got its whole echo, the server kept "
        "the connection open.",
        "The server ignores end of stream (recv() returning 0) or only closes on errors.",
        "When recv() returns 0 and everything is sent, close the connection."},
    // --- how TCP clients are served -----------------------------------------
    FindingKind{"one-client-at-a-time", "the server serves one client at a time",
                "A second client is served only after the first one disconnects.",
                "An iterative server: accept, serve that client to the end, then accept the next.",
                "Serve clients concurrently: an event loop (poll/epoll), a thread or process per "
                "connection."},
    FindingKind{
        "server-stopped", "the server stopped serving during the run",
        "After a case, new clients were refused or no longer served: the server exited, "
        "crashed or stopped accepting.",
        "A client's reset killed it (SIGPIPE from a write to a reset connection, or an exit on "
        "ECONNRESET), an error path exits, or the accept loop ends.",
        "Ignore SIGPIPE (or send with MSG_NOSIGNAL), treat ECONNRESET/EPIPE as the end of that "
        "one connection, never exit the accept loop on a client's error."},
    FindingKind{
        "connection-limit", "connections fail after a number of connections",
        "After a number of connections, new ones are refused, reset or never served: "
        "permanently (a descriptor leak) or for a while (a rate or connection limit).",
        "A descriptor leak (accepted sockets never closed, until EMFILE), a fixed table of "
        "connections, or a rate limit.",
        "Close every socket when its connection ends; size limits to the clients expected."},
    // --- UDP --------------------------------------------------------------------
    FindingKind{
        "udp-truncated", "datagrams are cut at a fixed size",
        "Datagrams up to a size come back whole; larger ones come back cut to that size.",
        "A receive buffer smaller than the datagram: recvfrom() truncates (MSG_TRUNC) and the "
        "server echoes what fits.",
        "Receive into a 65,536-byte buffer (the largest UDP payload is 65,507 bytes over IPv4)."},
    FindingKind{
        "udp-merged", "back-to-back datagrams are merged into one reply",
        "Several datagrams sent back to back come back as one reply holding them all.",
        "The server reads the UDP socket as a byte stream (a stream relay such as a pipe, or "
        "read() into a buffer that accumulates).",
        "Answer each datagram with one datagram of exactly its bytes."},
    FindingKind{
        "udp-wrong-source", "replies come from another address or port",
        "The reply arrives from an address or port other than the one the request was sent to; "
        "a client with a connected socket never sees it.",
        "The server replies from a second socket, or from a wildcard-bound socket without "
        "setting the source address (IP_PKTINFO).",
        "Reply from the socket that received the datagram; on a wildcard bind, send with the "
        "request's destination address as the source (IP_PKTINFO / IPV6_PKTINFO)."},
    FindingKind{
        "udp-duplicate", "datagrams are answered more than once",
        "One datagram gets two or more identical replies.",
        "The reply is sent twice (a retry without a failure, two sockets or threads answering "
        "the same datagram).",
        "Send one reply per datagram received."},
    FindingKind{"udp-empty-ignored", "empty datagrams get no reply",
                "Datagrams with data are answered; a zero-length datagram is not.",
                "The server treats a receive of 0 bytes as nothing received (or as end of stream).",
                "A zero-length datagram is a datagram: answer it with a zero-length datagram."},
    FindingKind{
        "udp-silent", "no UDP reply at all while the port is open",
        "Datagrams are accepted (no ICMP port unreachable) but none is answered.",
        "No UDP echo runs there, or the server drops datagrams on purpose: some inetd "
        "implementations refuse datagrams from loopback or from privileged source ports as a "
        "loop guard (OpenBSD inetd drops 127/8 sources and ports below 1024).",
        "If a loop guard is the reason, test from a non-loopback address and an unprivileged "
        "port (e.g. from another host or network namespace); otherwise start the UDP service."},
    FindingKind{"udp-port-closed", "no UDP service",
                "Datagrams are answered with ICMP port unreachable: nothing listens for UDP on the "
                "port.",
                "The server serves TCP only.",
                "RFC 862 defines echo over UDP too: serve it, or check with --tcp-only."},
    // --- abuse (loop denial of service) -------------------------------------
    FindingKind{
        "udp-reflects-services", "datagrams from other services' ports are answered",
        "A datagram from the source port of echo (7), chargen (19) or another reflecting "
        "service is answered, so one spoofed datagram can start an endless loop between this "
        "server and that service (CVE-1999-0103, CERT CA-1996-01; the 2024 loop DoS, "
        "CVE-2024-2169, CERT VU#417980).",
        "No check of the source port before replying.",
        "Drop datagrams from source port 0 and from the ports of known reflecting services "
        "(echo 7, discard 9, daytime 13, qotd 17, chargen 19, time 37, DNS 53, NTP 123, ...), "
        "as the inetd family does, and rate-limit replies per source (RFC 8085 §6)."},
    FindingKind{
        "udp-answers-own-port", "datagrams from the server's own port are answered",
        "A datagram whose source port is the server's own port is answered: two such servers "
        "(or one spoofed datagram) echo each other forever.",
        "No check of the source port before replying.",
        "Drop datagrams whose source port is one of the server's own ports (FreeBSD inetd: "
        "\"loop request REFUSED\")."},
    // --- differential fuzzing (echo-conformance fuzz --differential) ------------
    FindingKind{
        "differs-from-reference", "a client sees something the reference server does not do",
        "The same conversation, run against this server and the reference server, ends "
        "differently for the client: the echo (where it first differs, how much came back), or "
        "how and when a connection ended (FIN, RST or nothing, before or after the whole "
        "echo), or the replies to datagrams. The echo itself may be right.",
        "Behaviour around the edges of the protocol: closing early or late, resetting where the "
        "reference closes, keeping a connection open after the client's half-close.",
        "Replay the saved script against both servers (echo-conformance replay FILE TARGET "
        "--differential) and make the server do what the reference does, unless the difference "
        "is intended."},
};

}  // namespace

std::span<const FindingKind> finding_kinds() noexcept { return kKinds; }

const FindingKind* find_kind(std::string_view id) noexcept {
  for (const FindingKind& kind : kKinds) {
    if (kind.id == id) return &kind;
  }
  return nullptr;
}

std::string explain_text(const FindingKind& kind) {
  std::string out;
  out += std::string(kind.id) + ": " + std::string(kind.title) + "\n\n";
  out += "What it looks like:\n  " + std::string(kind.meaning) + "\n\n";
  out += "Likely cause:\n  " + std::string(kind.cause) + "\n\n";
  out += "How to fix it:\n  " + std::string(kind.fix) + "\n";
  return out;
}

}  // namespace echo::conformance
