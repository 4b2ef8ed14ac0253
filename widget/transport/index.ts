export { VisitorSocket, type SocketStatus } from './socket.js';
