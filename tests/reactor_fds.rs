//! File descriptors: cancelling tasks closes their sockets; a thousand connections that come
//! and go leave none behind. One test in this binary, so no other test opens fds meanwhile.

mod reactor_common;

use std::time::Duration;

use reactor_common::*;
use resumable::reactor::{block_on, spawn, timeout, yield_now};

#[test]
fn cancellation_closes_sockets_and_connections_leak_no_fds() {
    let (listener, addr) = listener();
    let server = spawn(EchoServer {
        listener,
        limit: None,
    });
    block_on(yield_now()); // the reactor's own descriptors exist from here on
    let baseline = open_fds();

    // 50 clients that connect and then wait for data that never comes.
    let idle: Vec<_> = (0..50)
        .map(|_| {
            spawn(then(resumable::net::TcpStream::connect(addr), |s| {
                read_to_end(s.expect("connect"))
            }))
        })
        .collect();
    for _ in 0..20 {
        block_on(resumable::reactor::sleep(Duration::from_millis(5)));
        if open_fds() >= baseline + 100 {
            break;
        }
    }
    assert_eq!(
        open_fds(),
        baseline + 100,
        "50 client and 50 server sockets"
    );
    // Cancel the clients: their sockets close at once; the server side sees end of file
    // and its echo tasks end, closing the other 50.
    drop(idle);
    assert_eq!(
        open_fds(),
        baseline + 50,
        "cancelled tasks closed their sockets"
    );
    for _ in 0..100 {
        block_on(resumable::reactor::sleep(Duration::from_millis(2)));
        if open_fds() == baseline {
            break;
        }
    }
    assert_eq!(open_fds(), baseline, "server side closed after end of file");

    // A thousand connections, a hundred at a time, each echoing a message.
    for round in 0..10 {
        let clients: Vec<_> = (0..100)
            .map(|i| spawn(echo_client(addr, pattern(round * 100 + i, 100 + i))))
            .collect();
        for c in clients {
            block_on(timeout(Duration::from_secs(30), c))
                .expect("in time")
                .unwrap()
                .unwrap();
        }
    }
    for _ in 0..100 {
        if open_fds() == baseline {
            break;
        }
        block_on(resumable::reactor::sleep(Duration::from_millis(2)));
    }
    assert_eq!(
        open_fds(),
        baseline,
        "no descriptor leaked after 1000 connections"
    );
    server.abort();
    assert_eq!(
        open_fds(),
        baseline - 1,
        "cancelling the server closed the listener"
    );
}
