// The desktop app's entry (electron-vite bundles it to out/main/index.js, package.json "main").
import { startDesktopApp } from './app';

startDesktopApp();
