package io.clustermonitor.core.model;

/**
 * How many containers an engine has, by state (a part of {@link SystemInfo}).
 *
 * @param total all containers
 * @param running running
 * @param paused paused
 * @param stopped stopped
 */
public record ContainerCounts(int total, int running, int paused, int stopped) {}
