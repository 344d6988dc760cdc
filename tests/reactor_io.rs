//! Sockets on loopback: peer reset, half-close, end of file mid-message, UDP, errors.

mod reactor_common;

use std::io::{self, Read, Write};
use std::net::Shutdown;

use reactor_common::*;
use resumable::net::{read_exact, retry, write_all, TcpStream, UdpSocket};
use resumable::reactor::block_on;

#[test]
fn peer_reset_surfaces_as_connection_reset() {
    let (client, server) = tcp_pair();
    // The server closes with unread data in its receive buffer: the kernel sends RST.
    let (client, _, r) = block_on(write_all(client, *b"hello"));
    r.unwrap();
    block_on(wait_once(server.readable()));
    drop(server);
    let err = block_on(retry(move || (&client).read(&mut [0u8; 16]))).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
}

#[test]
fn writes_to_a_reset_peer_fail() {
    let (client, server) = tcp_pair();
    let (client, _, r) = block_on(write_all(client, *b"x"));
    r.unwrap();
    block_on(wait_once(server.readable()));
    drop(server);
    // Keep writing until the OS reports the reset (EPIPE or ECONNRESET), never hang.
    let (_, _, r) = block_on(write_all(client, vec![0u8; 8 << 20]));
    let kind = r.unwrap_err().kind();
    assert!(
        matches!(
            kind,
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
        ),
        "{kind:?}"
    );
}

#[test]
fn half_close_then_reply() {
    let (client, server) = tcp_pair();
    // Client sends a request and shuts down its writing half.
    let (client, _, r) = block_on(write_all(client, *b"request"));
    r.unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    // Server reads to end of file, then still answers on its open writing half.
    let (server, got, r) = block_on(read_to_end(server));
    r.unwrap();
    assert_eq!(got, b"request");
    let (server, _, r) = block_on(write_all(server, *b"reply"));
    r.unwrap();
    drop(server);
    let (_, got, r) = block_on(read_to_end(client));
    r.unwrap();
    assert_eq!(got, b"reply");
}

#[test]
fn eof_mid_message_is_unexpected_eof() {
    let (client, mut server) = tcp_pair();
    assert_eq!(server.write(b"abc").unwrap(), 3);
    drop(server);
    let (_, buf, r) = block_on(read_exact(client, [0u8; 8]));
    assert_eq!(r.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    assert_eq!(&buf[..3], b"abc");
}

#[test]
fn eof_is_sticky() {
    let (client, server) = tcp_pair();
    drop(server);
    let mut buf = [0u8; 4];
    let n = block_on(retry(move || {
        let a = (&client).read(&mut buf)?;
        let b = (&client).read(&mut buf)?;
        Ok(a + b)
    }))
    .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn connect_refused() {
    let (l, addr) = listener();
    drop(l);
    let err = block_on(TcpStream::connect(addr)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
}

#[test]
fn udp_ping_pong() {
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    // b waits for a datagram before a sends it: the wait goes through the reactor.
    let pong = resumable::spawn(then(
        retry(move || {
            let mut buf = [0u8; 64];
            let (n, from) = b.recv_from(&mut buf)?;
            Ok((buf[..n].to_vec(), from, b.local_addr()?))
        }),
        |r| ready(r.unwrap()),
    ));
    block_on(retry(move || a.send_to(b"ping", b_addr))).unwrap();
    let (msg, from, at) = block_on(pong).unwrap();
    assert_eq!((msg.as_slice(), from, at), (&b"ping"[..], a_addr, b_addr));
}

#[test]
fn bind_errors_carry_the_os_error() {
    let (_l, addr) = listener();
    let e = resumable::net::TcpListener::bind(addr).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::AddrInUse);
    assert!(e.raw_os_error().is_some());
}
