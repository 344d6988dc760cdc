//! Tasks as tokio tasks (`reactor::tokio::TaskFuture`, feature `tokio`) leave no descriptor
//! behind: the duplicates registered with tokio close with their sockets, on completion and
//! on cancellation. One test in this binary, so no other test opens fds meanwhile.
#![cfg(feature = "tokio")]

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::Duration;

use resumable::net::{TcpListener, TcpStream};
use resumable::reactor::{self, tokio::TaskFuture};
use resumable::Task;

#[resumable::coroutine]
fn echo(stream: TcpStream) -> impl Task<Output = io::Result<()>> {
    let mut buf = [0u8; 1024];
    loop {
        let n = io!((&stream).read(&mut buf))?;
        if n == 0 {
            return Ok(());
        }
        let mut w = 0;
        while w < n {
            w += io!((&stream).write(&buf[w..n]))?;
        }
    }
}

/// Accepts `n` connections, echoes on each (a task apiece), joins them all.
#[resumable::coroutine]
fn serve(listener: TcpListener, n: usize) -> impl Task<Output = io::Result<usize>> {
    let mut conns = Vec::new();
    while conns.len() < n {
        let (s, _) = io!(listener.accept())?;
        conns.push(reactor::spawn(echo(s)));
    }
    let mut joined = 0;
    while let Some(h) = conns.pop() {
        let r = yield_from!(h);
        r.map_err(io::Error::from)??;
        joined += 1;
    }
    Ok(joined)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// `n` clients on tokio's worker threads, each checking the echo of its own message byte
/// for byte, then closing its half and waiting for end of file.
fn clients(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
    first: usize,
    n: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    (first..first + n)
        .map(|i| {
            rt.spawn(async move {
                let msg: Vec<u8> = (0..(i * 37 % 3000) + 1).map(|b| (b ^ i) as u8).collect();
                let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
                s.write_all(&msg).await.unwrap();
                let mut back = vec![0u8; msg.len()];
                s.read_exact(&mut back).await.unwrap();
                assert_eq!(back, msg);
                s.shutdown().await.unwrap();
                assert_eq!(s.read(&mut [0u8; 1]).await.unwrap(), 0);
            })
        })
        .collect()
}

#[test]
fn a_thousand_connections_and_a_cancellation_on_tokio_leave_no_fd_behind() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, TaskFuture::new(reactor::yield_now())); // this thread's reactor exists
    let baseline = open_fds();

    // A thousand connections, a hundred at a time, served by tasks tokio drives.
    for round in 0..10 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let clients = clients(&rt, addr, round * 100, 100);
        let server = TaskFuture::new(serve(listener, 100));
        let served = local
            .block_on(&rt, async {
                tokio::time::timeout(Duration::from_secs(30), server).await
            })
            .expect("served within 30 s")
            .unwrap();
        assert_eq!(served, 100);
        rt.block_on(async {
            let all = async {
                for c in clients {
                    c.await.unwrap();
                }
            };
            let ended = tokio::time::timeout(Duration::from_secs(30), all).await;
            ended.expect("every client saw its echo and end of file within 30 s");
        });
        assert_eq!(open_fds(), baseline, "round {round}: every socket closed");
    }

    // 50 connections parked on reads, then the server's future is dropped.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut peers: Vec<_> = (0..50)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    let server = TaskFuture::new(serve(listener, usize::MAX));
    // Listener and its duplicate for tokio, 50 peers, 50 accepted sockets and their duplicates.
    let parked = baseline + 2 + 50 * 3;
    local.block_on(&rt, async {
        let server = tokio::task::spawn_local(server);
        for _ in 0..200 {
            if open_fds() >= parked {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(open_fds(), parked);
        server.abort();
        assert!(server.await.unwrap_err().is_cancelled());
    });
    assert_eq!(open_fds(), baseline + 50, "only the peers are left");
    for p in &mut peers {
        p.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        assert_eq!(
            p.read(&mut [0u8; 8]).unwrap(),
            0,
            "the server's end was closed"
        );
    }
    drop(peers);
    assert_eq!(open_fds(), baseline);
}
